/**
 * Paraphrase-pair classification from a similarity score: "same question iff similarity >= t".
 * The threshold is tuned by 2-fold cross-validation on a fixed-seed split (there is no separate
 * train split here), so the reported accuracy is on pairs the threshold was not chosen on.
 */
import type { SentencePair } from '../datasets/sentence-pair-dataset';
import { seededRandom, shuffled } from '../datasets/seeded-random';
import { bestThreshold, thresholdAccuracy } from '../metrics/classification-metrics';
import { spearman } from '../metrics/spearman';
import { scorePairs, type PairEmbedder } from './pair-scorer';

export interface PairClassificationResult {
  n: number;
  /** Accuracy x100, thresholds tuned on the other fold (mean of the two folds). */
  accuracy: number;
  /** The two tuned thresholds. */
  thresholds: [number, number];
  /** Accuracy x100 with the threshold tuned on all pairs (an optimistic upper bound). */
  oracleAccuracy: number;
  /** Spearman x100 between the 0/1 label and the similarity (text2vec's reporting convention). */
  spearman: number;
  /** Share of positive pairs: the accuracy of always answering "same". */
  positiveShare: number;
}

export async function evaluatePairClassification(
  pairs: readonly SentencePair[],
  embedder?: PairEmbedder,
): Promise<PairClassificationResult> {
  if (pairs.length < 4) throw new Error('evaluatePairClassification: needs at least four pairs');
  const scores = await scorePairs(pairs, embedder);
  const scored = pairs.map((p, i) => ({ score: scores[i], positive: p.positive }));
  const order = shuffled(
    scored.map((_, i) => i),
    seededRandom(89),
  );
  const half = Math.floor(order.length / 2);
  const foldA = order.slice(0, half).map((i) => scored[i]);
  const foldB = order.slice(half).map((i) => scored[i]);
  const tA = bestThreshold(foldA).threshold;
  const tB = bestThreshold(foldB).threshold;
  const crossAccuracy =
    (thresholdAccuracy(foldB, tA) * foldB.length + thresholdAccuracy(foldA, tB) * foldA.length) /
    scored.length;
  return {
    n: scored.length,
    accuracy: 100 * crossAccuracy,
    thresholds: [tA, tB],
    oracleAccuracy: 100 * bestThreshold(scored).accuracy,
    spearman:
      100 *
      spearman(
        scored.map((s) => (s.positive ? 1 : 0)),
        scores,
      ),
    positiveShare: scored.filter((s) => s.positive).length / scored.length,
  };
}
