/**
 * Reciprocal rank fusion (Cormack et al. 2009): combines ranked lists whose scores are on different
 * scales (BM25 scores, cosine similarities) using only ranks: score(d) = sum_i w_i / (k + rank_i(d)).
 */
import type { ScoredId } from './scored-id';

export interface RankedList {
  /** Best first. */
  hits: ScoredId[];
  /** Multiplies this list's contribution (default 1). */
  weight?: number;
}

export interface FusionOptions {
  /** Smoothing constant; 60 is the value from the paper and the common default. */
  k?: number;
  limit?: number;
}

export interface FusedHit {
  id: number;
  score: number;
  /** 1-based rank of the id in each input list (same order as the input), undefined where absent. */
  ranks: Array<number | undefined>;
}

export function reciprocalRankFusion(lists: RankedList[], options: FusionOptions = {}): FusedHit[] {
  const k = options.k ?? 60;
  if (!(k >= 0)) throw new Error(`reciprocalRankFusion: k must be >= 0, got ${k}`);
  const fused = new Map<number, FusedHit>();
  lists.forEach((list, listIndex) => {
    const weight = list.weight ?? 1;
    if (!(weight >= 0))
      throw new Error(`reciprocalRankFusion: weight of list ${listIndex} must be >= 0, got ${weight}`);
    list.hits.forEach((hit, position) => {
      let entry = fused.get(hit.id);
      if (!entry) {
        entry = { id: hit.id, score: 0, ranks: new Array<number | undefined>(lists.length).fill(undefined) };
        fused.set(hit.id, entry);
      }
      // A list repeating an id counts only its best rank.
      if (entry.ranks[listIndex] !== undefined) return;
      entry.ranks[listIndex] = position + 1;
      entry.score += weight / (k + position + 1);
    });
  });
  const bestRank = (h: FusedHit) => Math.min(...h.ranks.map((r) => r ?? Infinity));
  const out = [...fused.values()].sort(
    (a, b) => b.score - a.score || bestRank(a) - bestRank(b) || a.id - b.id,
  );
  return options.limit !== undefined ? out.slice(0, options.limit) : out;
}
