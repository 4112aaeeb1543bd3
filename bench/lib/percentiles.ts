/**
 * Summary statistics for benchmark samples. Percentiles use linear interpolation between the
 * closest ranks (numpy's default), so p50 of an even-sized sample is the mean of the middle two.
 */

export interface SampleSummary {
  count: number;
  mean: number;
  min: number;
  max: number;
  p50: number;
  p95: number;
}

/** The p-th percentile (0..100) of `samples`; the input is not modified. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError('percentile of an empty sample');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  if (samples.some((s) => !Number.isFinite(s))) throw new RangeError('samples must be finite numbers');
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
}

export function summarize(samples: readonly number[]): SampleSummary {
  if (samples.length === 0) throw new RangeError('cannot summarize an empty sample');
  const sum = samples.reduce((a, b) => a + b, 0);
  return {
    count: samples.length,
    mean: sum / samples.length,
    min: Math.min(...samples),
    max: Math.max(...samples),
    p50: percentile(samples, 50),
    p95: percentile(samples, 95),
  };
}
