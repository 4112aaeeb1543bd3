/**
 * Retrieval scoring: where the first relevant entry lands in a ranked list, and the Recall@k /
 * MRR summary over many queries. With one gold entry per query (the FAQ case) Recall@k is the
 * share of queries whose gold entry is in the top k; with several, any one of them counts.
 */

export interface RankingMetrics {
  n: number;
  /** Recall@k for each requested k, as a fraction 0..1. */
  recallAt: Record<number, number>;
  /** Mean reciprocal rank of the first relevant entry (0 when it was not retrieved). */
  mrr: number;
}

/** 1-based rank of the first relevant id in `ranked`, or null when none is there. */
export function firstRelevantRank(ranked: readonly string[], relevant: ReadonlySet<string>): number | null {
  for (let i = 0; i < ranked.length; i++) if (relevant.has(ranked[i])) return i + 1;
  return null;
}

/** Recall@k and MRR from each query's first relevant rank (null = not retrieved at all). */
export function rankingMetrics(
  ranks: ReadonlyArray<number | null>,
  ks: readonly number[] = [1, 5, 10],
): RankingMetrics {
  if (ranks.length === 0) throw new Error('rankingMetrics: no queries were scored');
  const recallAt: Record<number, number> = {};
  for (const k of ks) recallAt[k] = ranks.filter((r) => r !== null && r <= k).length / ranks.length;
  const mrr = ranks.reduce<number>((sum, r) => sum + (r === null ? 0 : 1 / r), 0) / ranks.length;
  return { n: ranks.length, recallAt, mrr };
}
