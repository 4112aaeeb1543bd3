/**
 * Answer latency as a histogram: bucket b holds latencies in [1.1^b, 1.1^(b+1)) ms (under 1 ms in
 * bucket 0), the buckets the hourly rollup counts (migration 1765400000001 has the same formula).
 * A percentile is interpolated geometrically inside the bucket its rank falls in, so it is within
 * 10 % of the exact value: plenty for a p50/p95 chart, and it lets any range of hours be merged.
 */

export const LATENCY_BUCKET_BASE = 1.1;

/** SQL for the bucket of a latency column (keep in step with the migration's copy). */
export const latencyBucketSql = (ms: string) =>
  `floor(ln(greatest(${ms}, 1)) / ln(${LATENCY_BUCKET_BASE}))::smallint`;

export interface LatencyBucket {
  bucket: number;
  count: number;
}

/**
 * The p-th quantile (0-1) of the latencies counted in `buckets`, in ms; null when there are none. A
 * bucket may come more than once (a range's days each count it): its counts add up.
 */
export function histogramPercentile(buckets: readonly LatencyBucket[], p: number): number | null {
  // A range's rows hold one bucket once per day: merged first, or the rank would be placed inside one
  // day's share of the bucket (p95 came out below p50 over a range whose latencies shared buckets).
  const merged = new Map<number, number>();
  for (const b of buckets) if (b.count > 0) merged.set(b.bucket, (merged.get(b.bucket) ?? 0) + b.count);
  const sorted = [...merged]
    .map(([bucket, count]) => ({ bucket, count }))
    .sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, b) => sum + b.count, 0);
  if (!total) return null;
  const rank = p * total;
  let below = 0;
  for (const b of sorted) {
    if (rank <= below + b.count) {
      const inside = Math.max(0, Math.min(1, (rank - below) / b.count));
      return LATENCY_BUCKET_BASE ** (b.bucket + inside);
    }
    below += b.count;
  }
  return LATENCY_BUCKET_BASE ** (sorted[sorted.length - 1].bucket + 1);
}
