import { describe, expect, it } from 'vitest';
import { percentile, summarize } from './percentiles';

describe('percentile', () => {
  it('interpolates between closest ranks like numpy', () => {
    // numpy.percentile([1, 2, 3, 4], 50) == 2.5; ([10, 20, 30, 40, 50], 95) == 48
    expect(percentile([4, 1, 3, 2], 50)).toBe(2.5);
    expect(percentile([10, 20, 30, 40, 50], 95)).toBeCloseTo(48, 10);
    expect(percentile([7], 95)).toBe(7);
  });

  it('takes the extremes at 0 and 100 without reordering the input', () => {
    const samples = [5, 9, 1];
    expect(percentile(samples, 0)).toBe(1);
    expect(percentile(samples, 100)).toBe(9);
    expect(samples).toEqual([5, 9, 1]);
  });

  it('rejects empty samples, NaN and out-of-range percentiles', () => {
    expect(() => percentile([], 50)).toThrow(/empty/);
    expect(() => percentile([1, NaN], 50)).toThrow(/finite/);
    expect(() => percentile([1], 101)).toThrow(/0\.\.100/);
  });
});

describe('summarize', () => {
  it('reports count, mean, extremes, p50 and p95', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(summarize(samples)).toEqual({ count: 100, mean: 50.5, min: 1, max: 100, p50: 50.5, p95: 95.05 });
  });
});
