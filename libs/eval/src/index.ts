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
export { seededRandom, shuffled, sampleInOrder } from './datasets/seeded-random';
export { parseSquadJson, loadSquadFile, type QaExample, type QaDataset } from './datasets/squad-dataset';
export type { RetrievalSet, RetrievalEntry, RetrievalQuery } from './datasets/retrieval-set';
export { parseStackFaqJson, loadStackFaq } from './datasets/stackfaq-dataset';
export {
  parsePairTsv,
  parsePairJsonl,
  loadSentencePairs,
  pairsToRetrievalSet,
  type SentencePair,
} from './datasets/sentence-pair-dataset';
export {
  parseBanking77Csv,
  loadBanking77,
  parseClinc150Json,
  loadClinc150,
  parseSmp2017Tsv,
  loadSmp2017,
  stratifiedSplit,
  intentsToRetrievalSet,
  type LabelledUtterance,
  type IntentSplit,
} from './datasets/intent-dataset';
export { parseStsbEnTsv, parseStsbZhTsv, loadStsbEn, loadStsbZh, type StsPair } from './datasets/sts-dataset';
export {
  READER_DATASETS,
  RETRIEVAL_DATASETS,
  PAIR_DATASETS,
  STS_DATASETS,
  datasetPath,
  catalogEntry,
  type CatalogEntry,
  type ReferenceScore,
  type Language,
} from './datasets/dataset-catalog';
export { resolveDatasetsDir } from './datasets/datasets-dir';
