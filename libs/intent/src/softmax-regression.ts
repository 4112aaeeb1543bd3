/**
 * Multinomial logistic regression (softmax) with an L2 penalty on the weights, fitted by L-BFGS on
 * the full batch. The objective is scikit-learn's LogisticRegression(C) one divided by the number of
 * examples: mean cross-entropy + ||W||² / (2·C·n), the intercept unpenalised.
 */
import { minimizeLbfgs } from './lbfgs';
import type { SparseRow } from './sparse-row';

export interface SoftmaxFitOptions {
  /** Inverse regularisation strength, as scikit-learn's C. */
  c: number;
  maxIterations?: number;
  gradientTolerance?: number;
  /**
   * The last `width` features of every row as one dense row-major block (rows × width), kept out
   * of the sparse rows (whose indices then stay under dim - width): a sentence embedding. The fit is
   * the one of the concatenated rows, bit for bit, but the block is walked four rows at a time, so
   * each weight read serves four rows (the embedding is most of the work on a large training set).
   */
  dense?: DenseBlock;
  /**
   * Starting point (weights then biases, as `model.weights` and `model.bias` laid end to end),
   * zeros when absent: the optimum of a neighbouring C is a warm start for the next one.
   */
  initial?: Float64Array;
}

export interface DenseBlock {
  width: number;
  values: Float64Array;
}

export interface SoftmaxModel {
  classes: number;
  dim: number;
  /** Feature-major: weights[feature * classes + class]. */
  weights: Float64Array;
  bias: Float64Array;
}

export interface SoftmaxFit {
  model: SoftmaxModel;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Mean cross-entropy + penalty at the solution. */
  loss: number;
}

/** Class scores (logits) of one row into `out`. */
function logits(
  weights: Float64Array,
  bias: Float64Array,
  classes: number,
  row: SparseRow,
  out: Float64Array,
): void {
  out.set(bias.subarray(0, classes));
  const { indices, values } = row;
  for (let k = 0; k < indices.length; k++) {
    const base = indices[k] * classes;
    const v = values[k];
    for (let c = 0; c < classes; c++) out[c] += v * weights[base + c];
  }
}

/** In-place softmax; returns log(sum(exp(z))) of the input. */
function softmaxInPlace(z: Float64Array): number {
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) if (z[c] > max) max = z[c];
  let sum = 0;
  for (let c = 0; c < z.length; c++) {
    z[c] = Math.exp(z[c] - max);
    sum += z[c];
  }
  for (let c = 0; c < z.length; c++) z[c] /= sum;
  return max + Math.log(sum);
}

/** Rows processed together over the dense block. */
const BLOCK = 4;

/**
 * The dense block's part of four rows (start..start+3; past the last row, zeros from `tail`), k
 * ascending, so each weight read serves four rows: into the logits z (z[r][c] += values[r, k] ·
 * weights[(offset + k) · classes + c]), or with `gradient` from them (gradient[(offset + k) · classes + c]
 * += values[r, k] · z[r][c], rows ascending for each entry, as a row-by-row loop adds them).
 */
function denseBlockPass(
  dense: DenseBlock,
  tail: Float64Array,
  n: number,
  classes: number,
  offset: number,
  start: number,
  z: Float64Array[],
  weights: Float64Array,
  gradient?: Float64Array,
): void {
  const { width } = dense;
  const [z0, z1, z2, z3] = z;
  const values = start + BLOCK <= n ? dense.values : tail;
  const r0 = values === tail ? 0 : start * width;
  for (let k = 0; k < width; k++) {
    const base = (offset + k) * classes;
    const a0 = values[r0 + k];
    const a1 = values[r0 + width + k];
    const a2 = values[r0 + 2 * width + k];
    const a3 = values[r0 + 3 * width + k];
    if (gradient)
      for (let c = 0; c < classes; c++) {
        let g = gradient[base + c];
        g += a0 * z0[c];
        g += a1 * z1[c];
        g += a2 * z2[c];
        g += a3 * z3[c];
        gradient[base + c] = g;
      }
    else
      for (let c = 0; c < classes; c++) {
        const w = weights[base + c];
        z0[c] += a0 * w;
        z1[c] += a1 * w;
        z2[c] += a2 * w;
        z3[c] += a3 * w;
      }
  }
}

export function fitSoftmaxRegression(
  rows: readonly SparseRow[],
  labels: ArrayLike<number>,
  classes: number,
  dim: number,
  options: SoftmaxFitOptions,
): SoftmaxFit {
  const n = rows.length;
  if (n === 0) throw new Error('fitSoftmaxRegression: no examples');
  if (labels.length !== n) throw new Error(`fitSoftmaxRegression: ${n} rows but ${labels.length} labels`);
  if (!(options.c > 0)) throw new Error(`fitSoftmaxRegression: C must be positive, got ${options.c}`);
  const weightCount = dim * classes;
  const penalty = 1 / (options.c * n);
  const dense = options.dense;
  const denseWidth = dense?.width ?? 0;
  const denseOffset = dim - denseWidth;
  if (dense && (denseWidth > dim || dense.values.length !== n * denseWidth))
    throw new Error(
      `fitSoftmaxRegression: the dense block must hold ${n} rows of ${denseWidth} (≤ ${dim}) values`,
    );
  // Logits of four rows at a time; a short last block is padded with zero rows (in z and `tail`), which add nothing.
  const z = Array.from({ length: BLOCK }, () => new Float64Array(classes));
  const rest = n % BLOCK;
  const tail = new Float64Array(BLOCK * denseWidth);
  if (dense && rest > 0) tail.set(dense.values.subarray((n - rest) * denseWidth));

  const objective = (x: Float64Array, gradient: Float64Array): number => {
    const weights = x.subarray(0, weightCount);
    const bias = x.subarray(weightCount);
    gradient.fill(0);
    const gradWeights = gradient.subarray(0, weightCount);
    const gradBias = gradient.subarray(weightCount);
    let loss = 0;
    for (let start = 0; start < n; start += BLOCK) {
      const count = Math.min(BLOCK, n - start);
      for (let r = 0; r < count; r++) logits(weights, bias, classes, rows[start + r], z[r]);
      for (let r = count; r < BLOCK; r++) z[r].fill(0);
      if (dense) denseBlockPass(dense, tail, n, classes, denseOffset, start, z, weights);
      for (let r = 0; r < count; r++) {
        const zr = z[r];
        const y = labels[start + r];
        const zy = zr[y];
        loss += softmaxInPlace(zr) - zy;
        zr[y] -= 1;
        const { indices, values } = rows[start + r];
        for (let k = 0; k < indices.length; k++) {
          const base = indices[k] * classes;
          const v = values[k];
          for (let c = 0; c < classes; c++) gradWeights[base + c] += v * zr[c];
        }
        for (let c = 0; c < classes; c++) gradBias[c] += zr[c];
      }
      if (dense) denseBlockPass(dense, tail, n, classes, denseOffset, start, z, weights, gradWeights);
    }
    let squared = 0;
    for (let j = 0; j < weightCount; j++) {
      const w = weights[j];
      squared += w * w;
      gradWeights[j] = gradWeights[j] / n + penalty * w;
    }
    for (let c = 0; c < classes; c++) gradBias[c] /= n;
    return loss / n + 0.5 * penalty * squared;
  };

  if (options.initial && options.initial.length !== weightCount + classes)
    throw new Error(`fitSoftmaxRegression: the start must hold ${weightCount + classes} values`);
  const start = options.initial
    ? Float64Array.from(options.initial)
    : new Float64Array(weightCount + classes);
  const result = minimizeLbfgs(objective, start, {
    maxIterations: options.maxIterations ?? 500,
    gradientTolerance: options.gradientTolerance ?? 1e-6,
    // Each kept pair costs two parameter-sized arrays and four passes per iteration.
    memory: weightCount > 500_000 ? 5 : 10,
  });
  return {
    model: {
      classes,
      dim,
      weights: result.x.slice(0, weightCount),
      bias: result.x.slice(weightCount),
    },
    iterations: result.iterations,
    evaluations: result.evaluations,
    converged: result.converged,
    loss: result.value,
  };
}

/** Class probabilities of one row. */
export function softmaxProbabilities(model: SoftmaxModel, row: SparseRow): Float64Array {
  const z = new Float64Array(model.classes);
  logits(model.weights, model.bias, model.classes, row, z);
  softmaxInPlace(z);
  return z;
}
