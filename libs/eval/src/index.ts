/**
 * @wendao/eval: answer-quality measurement. Metric functions (SQuAD/CMRC answer scores, Recall@k/MRR,
 * Spearman, accuracy, precision/coverage), dataset loaders, and the eval runs behind `wendao eval`.
 */
export { normalizeSquadAnswer, squadAnswerScore, type AnswerScore } from './metrics/squad-answer-metric';
export {
  cmrcAnswerScore,
  cmrcSegment,
  cmrcStripPunctuation,
  longestCommonRun,
  wordTokenize,
} from './metrics/cmrc-answer-metric';
export { firstRelevantRank, rankingMetrics, type RankingMetrics } from './metrics/ranking-metrics';
export { averageRanks, pearson, spearman } from './metrics/spearman';
export {
  accuracy,
  macroF1,
  bestThreshold,
  thresholdAccuracy,
  type ThresholdChoice,
} from './metrics/classification-metrics';
export {
  precisionCoverageCurve,
  thresholdForPrecision,
  type ScoredAnswer,
  type CoveragePoint,
} from './metrics/precision-coverage';
