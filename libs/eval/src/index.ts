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
export { withTypos, misspell, SHOP_TYPO_SEED } from './datasets/shop-typos';
export {
  listShopSets,
  loadShopSet,
  withoutAlternates,
  loadDialogues,
  shopDataDir,
  shopSetProblems,
  dialogueProblems,
  shopSetToRetrievalSet,
  questionKey,
  type ShopSet,
  type ShopFaq,
  type ShopDocument,
  type ShopParaphrase,
  type ShopSpanQuestion,
  type ShopLanguage,
  type Dialogue,
  type DialogueTurn,
} from './datasets/shop-set';
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
  parseCais,
  loadCais,
  stratifiedSplit,
  limitPerLabel,
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
export {
  crossWozPairs,
  multiWozPairs,
  loadWozPairs,
  readZippedJson,
  type WozPair,
  type WozSet,
} from './datasets/woz-followups';
export {
  cpuVectorExtension,
  describeMachine,
  vectorExtensionOf,
  renderTable,
  renderRecordMarkdown,
  renderSummaryTable,
  writeEvalRecord,
  type EvalRecord,
  type EvalTask,
  type ModelUsed,
  type ResultTable,
} from './report/eval-record';
export { answerScorer, type AnswerScorer } from './runs/answer-scorer';
export {
  evaluateReader,
  type ReaderEvalResult,
  type ReaderPrediction,
  type ReaderEvalOptions,
} from './runs/reader-eval';
export {
  evaluateRetrieval,
  entryDocuments,
  rankEntries,
  type DocumentRanker,
  type EntryDocuments,
  type RetrievalSystemResult,
} from './runs/retrieval-eval';
export { Bm25Ranker } from './runs/bm25-ranker';
export { VectorRanker } from './runs/vector-ranker';
export { HybridRanker } from './runs/hybrid-ranker';
export { LexicalSimilarity, lexicalTerms } from './runs/lexical-similarity';
export { scorePairs, type PairEmbedder } from './runs/pair-scorer';
export { evaluateSimilarity, type SimilarityEvalResult } from './runs/similarity-eval';
export { evaluatePairClassification, type PairClassificationResult } from './runs/pair-classification-eval';
export { evaluateEndToEnd, type EndToEndResult, type EndToEndOptions } from './runs/end-to-end-eval';
export { zipfQueryLog, evaluateCache, type CacheEvalResult, type LatencySummary } from './runs/cache-eval';
export {
  estimateTokens,
  truncateToTokens,
  buildLongContextExamples,
  evaluateLongContext,
  type LongContextResult,
} from './runs/long-context-eval';
export { int8Folders, compareInt8Embedder, compareInt8Reader, type Int8Comparison } from './runs/int8-eval';
export { loadEvalModels, type EvalModels, type EvalModelOptions } from './runs/eval-models';
export { EvalSuite, type EvalSuiteOptions } from './runs/eval-suite';
export {
  FINE_THRESHOLDS,
  scoreFaqPairs,
  scoreFaqRetrieval,
  thresholdForAllSets,
  netBenefitThreshold,
  pointAt,
  tuneThresholds,
  type ThresholdCurve,
  type PrecisionFloorChoice,
  type ThresholdTuningOptions,
} from './runs/threshold-tuning';
export {
  buildShopIndex,
  evaluateShop,
  shopKnowledgeBase,
  shopRecord,
  type ShopEvalOptions,
  type ShopEvalResult,
  type OutcomeCounts,
  type RecordContext,
} from './runs/shop-eval';
export { FAQ_SETS, evaluateFaqSet, faqSetRecord, loadFaqSet, type FaqSetResult } from './runs/faq-set-eval';
export {
  INTENT_SETS,
  loadIntentEvalSet,
  evaluateIntentSet,
  intentRecord,
  limitTotal,
  budgetLabel,
  type IntentBudget,
  type IntentEvalSet,
  type IntentEvalResult,
  type IntentEvalOptions,
  type IntentRunScore,
} from './runs/intent-eval';
