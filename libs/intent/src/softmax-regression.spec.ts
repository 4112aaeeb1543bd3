import { describe, expect, it } from 'vitest';
import { SeededRandom } from '@wendao/random';
import { fitSoftmaxRegression } from './softmax-regression';
import type { SparseRow } from './sparse-row';

/** Sparse rows over `sparseDim` terms and a dense block of `width` values per row, from a seed. */
function problem(n: number, sparseDim: number, width: number, classes: number) {
  const random = new SeededRandom(5);
  const sparse: SparseRow[] = [];
  const dense = new Float64Array(n * width);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % classes;
    const indices = [...new Set([labels[i], Math.floor(random.next() * sparseDim)])].sort((a, b) => a - b);
    sparse.push({
      indices: Int32Array.from(indices),
      values: Float64Array.from(indices, () => random.next()),
    });
    for (let j = 0; j < width; j++) dense[i * width + j] = random.next() - 0.5 + (j === labels[i] ? 0.3 : 0);
  }
  const concatenated: SparseRow[] = sparse.map((row, i) => ({
    indices: Int32Array.from([...row.indices, ...Array.from({ length: width }, (_, j) => sparseDim + j)]),
    values: Float64Array.from([...row.values, ...dense.subarray(i * width, (i + 1) * width)]),
  }));
  return { sparse, dense, concatenated, labels };
}

describe('fitSoftmaxRegression', () => {
  it('fits a dense block exactly as the concatenated sparse rows, bit for bit (rows not a multiple of four)', () => {
    const { sparse, dense, concatenated, labels } = problem(23, 9, 6, 4);
    const a = fitSoftmaxRegression(concatenated, labels, 4, 15, { c: 10 });
    const b = fitSoftmaxRegression(sparse, labels, 4, 15, { c: 10, dense: { width: 6, values: dense } });
    expect(a.iterations).toBeGreaterThan(3);
    expect(b.iterations).toBe(a.iterations);
    expect(b.loss).toBe(a.loss);
    expect([...b.model.weights]).toEqual([...a.model.weights]);
    expect([...b.model.bias]).toEqual([...a.model.bias]);
  });

  it('from a warm start (the optimum of a neighbouring C) reaches the same optimum in fewer iterations', () => {
    const { sparse, dense, labels } = problem(40, 9, 6, 4);
    const options = { dense: { width: 6, values: dense }, gradientTolerance: 1e-8 };
    const near = fitSoftmaxRegression(sparse, labels, 4, 15, { c: 30, ...options });
    const cold = fitSoftmaxRegression(sparse, labels, 4, 15, { c: 100, ...options });
    const warm = fitSoftmaxRegression(sparse, labels, 4, 15, {
      c: 100,
      ...options,
      initial: Float64Array.from([...near.model.weights, ...near.model.bias]),
    });
    expect(cold.converged && warm.converged).toBe(true);
    expect(warm.iterations).toBeLessThan(cold.iterations);
    expect(Math.abs(warm.loss - cold.loss)).toBeLessThan(1e-9);
    warm.model.weights.forEach((w, i) => expect(Math.abs(w - cold.model.weights[i])).toBeLessThan(1e-4));
    expect(() =>
      fitSoftmaxRegression(sparse, labels, 4, 15, { c: 100, ...options, initial: new Float64Array(3) }),
    ).toThrow(/start/);
  });

  it('refuses a dense block of the wrong size', () => {
    const { sparse, dense, labels } = problem(8, 9, 6, 4);
    expect(() =>
      fitSoftmaxRegression(sparse, labels, 4, 15, { c: 10, dense: { width: 6, values: dense.subarray(6) } }),
    ).toThrow(/dense block/);
  });
});
