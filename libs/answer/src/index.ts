/**
 * @wendao/answer: the answer decision. A knowledge base's retrieval state (KnowledgeIndex) and the one
 * pipeline every caller (REST ask, dialogue, CLI, eval, bench) runs to turn a question into an FAQ
 * answer, an extracted span, a clarification or a fallback, with thresholds calibrated per KB.
 */
export { KnowledgeIndex, faqPhrasings } from './knowledge-index';
export { eventLoopSlices } from './event-loop-slices';
export type {
  IndexedFaq,
  FaqEmbedding,
  IndexedPassage,
  ReadablePassage,
  KnowledgeIndexManifest,
  FaqCandidate,
  FaqSearchOptions,
} from './knowledge-index';
export {
  AnswerPipeline,
  ANSWER_LANGUAGES,
  clarifyMessage,
  fallbackMessage,
  faqSource,
  suggestionFloor,
} from './answer-pipeline';
export { decisionReason } from './answer-decision';
export { letterlessReplyLanguage } from './letterless-language';
export type {
  AnswerPipelineOptions,
  AnswerInput,
  AnswerLanguage,
  AnswerReaders,
  AnswerEmbedders,
} from './answer-pipeline';
export type {
  AnswerMode,
  AnswerType,
  AnswerOutcome,
  AnswerThresholds,
  AnswerEvidence,
  AnswerDecision,
  AnswerDecisionCode,
  AnswerTimings,
  AnswerAlternative,
  ClarifyOption,
  FaqSource,
  PassageSource,
} from './answer-outcome';
export { DEFAULT_THRESHOLDS, thresholdsFor } from './thresholds';
export type { ThresholdSource, ThresholdInForce, ThresholdsInForce, StoredCalibration } from './thresholds';
export { ThresholdCalibrator, reword } from './threshold-calibrator';
export type { CalibrationOptions, CalibrationReport } from './threshold-calibrator';
export { outOfDomainBank, outOfDomainQuestions } from './out-of-domain-bank';
export { LexicalFaqScorer } from './lexical-faq-scorer';
export { synonymHeads, withSynonyms, ZH_SYNONYMS, EN_SYNONYMS } from './synonyms';
export type { SynonymGroup } from './synonyms';
export {
  loadAnswerModels,
  planAnswerModels,
  pickModel,
  modelLanguages,
  servesLanguage,
  parseModelChoice,
} from './answer-models';
export type {
  AnswerEncoder,
  AnswerModels,
  AnswerModelOptions,
  AnswerModelTask,
  AnswerModelUsed,
  AnswerModelPlan,
  ModelChoice,
  ModelsByLanguage,
  PickModelOptions,
} from './answer-models';
