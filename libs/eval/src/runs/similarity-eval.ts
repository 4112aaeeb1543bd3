/**
 * STS evaluation: Spearman (and Pearson) x100 between the gold 0-5 scores and the pair similarity.
 */
import type { StsPair } from '../datasets/sts-dataset';
import { pearson, spearman } from '../metrics/spearman';
import { scorePairs, type PairEmbedder } from './pair-scorer';

export interface SimilarityEvalResult {
  n: number;
  spearman: number;
  pearson: number;
}

export async function evaluateSimilarity(
  pairs: readonly StsPair[],
  embedder?: PairEmbedder,
): Promise<SimilarityEvalResult> {
  if (pairs.length < 2) throw new Error('evaluateSimilarity: needs at least two pairs');
  const predicted = await scorePairs(pairs, embedder);
  const gold = pairs.map((p) => p.score);
  return {
    n: pairs.length,
    spearman: 100 * spearman(gold, predicted),
    pearson: 100 * pearson(gold, predicted),
  };
}
