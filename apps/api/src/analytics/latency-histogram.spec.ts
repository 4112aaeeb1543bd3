import { describe, expect, it } from 'vitest';
import { histogramPercentile, LATENCY_BUCKET_BASE, type LatencyBucket } from './latency-histogram';

const bucketOf = (ms: number) => Math.floor(Math.log(Math.max(ms, 1)) / Math.log(LATENCY_BUCKET_BASE));

function histogram(values: number[]): LatencyBucket[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(bucketOf(v), (counts.get(bucketOf(v)) ?? 0) + 1);
  return [...counts].map(([bucket, count]) => ({ bucket, count }));
}

function exact(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const rank = p * (s.length - 1);
  return s[Math.floor(rank)] + (s[Math.ceil(rank)] - s[Math.floor(rank)]) * (rank - Math.floor(rank));
}

describe('histogramPercentile', () => {
  it('is within 10 % of the exact percentile on log-normal latencies', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const values = Array.from({ length: 5000 }, () => {
      const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      return Math.exp(Math.log(40) + 0.6 * z);
    });
    for (const p of [0.5, 0.95]) {
      const estimate = histogramPercentile(histogram(values), p)!;
      expect(Math.abs(estimate / exact(values, p) - 1)).toBeLessThan(0.1);
    }
  });

  it('has no percentile without latencies, and stays inside the one bucket there is', () => {
    expect(histogramPercentile([], 0.5)).toBeNull();
    const one = histogramPercentile(histogram([100, 100, 100]), 0.95)!;
    expect(one).toBeGreaterThanOrEqual(LATENCY_BUCKET_BASE ** bucketOf(100));
    expect(one).toBeLessThan(LATENCY_BUCKET_BASE ** (bucketOf(100) + 1));
  });

  it('adds up a bucket that comes once per day, so p95 is never below p50 over a range', () => {
    // Eleven days of 40-44 ms: buckets 38 (40, 41 ms) and 39 (42-44 ms), one row each per day.
    const days = Array.from({ length: 11 }, () => histogram([40, 41, 42, 43, 44])).flat();
    const whole = histogram(Array.from({ length: 11 }, () => [40, 41, 42, 43, 44]).flat());
    const p50 = histogramPercentile(days, 0.5)!;
    const p95 = histogramPercentile(days, 0.95)!;
    expect(p50).toBeCloseTo(histogramPercentile(whole, 0.5)!, 9);
    expect(p95).toBeCloseTo(histogramPercentile(whole, 0.95)!, 9);
    expect(p95).toBeGreaterThan(p50);
    expect(Math.abs(p50 / 42 - 1)).toBeLessThan(0.1);
  });
});
