/**
 * @wendao/intent: few-shot intent recognition. Softmax regression over character/word n-gram TF-IDF
 * (plus the frozen sentence embedding when an embedder is given), an out-of-scope cut chosen by
 * cross-validation, JSON round trip. Framework-free: the API, the CLI and the evals compose it.
 */
export {
  IntentClassifier,
  type LabelledExample,
  type IntentTrainingOptions,
  type IntentPrediction,
  type IntentModelJson,
  type IntentTrainingReport,
  type IntentTrainingSettings,
  type IntentModelData,
  type TrainingEmbeddings,
  type CChoice,
  type TrafficAdaptation,
  embedTrainingExamples,
  DEFAULT_EMBEDDING_WEIGHT,
  DEFAULT_C_CANDIDATES,
} from './intent-classifier';
export { NgramTfidf, ngramTerms, type NgramTfidfJson, type NgramTfidfOptions } from './ngram-tfidf';
export { minimizeLbfgs, type Objective, type LbfgsOptions, type LbfgsResult } from './lbfgs';
export {
  fitSoftmaxRegression,
  softmaxProbabilities,
  type SoftmaxModel,
  type SoftmaxFit,
  type SoftmaxFitOptions,
  type DenseBlock,
} from './softmax-regression';
export {
  chooseOutOfScopeThreshold,
  type HeldOutPrediction,
  type ThresholdChoice,
} from './out-of-scope-threshold';
export type { SparseRow } from './sparse-row';
export {
  IntentTrainer,
  IntentTrainingLimitError,
  type IntentTrainerOptions,
  type TrainedIntentModel,
} from './intent-trainer';
export {
  estimateTrafficPrior,
  totalVariation,
  calibrated,
  TemperatureFit,
  TEMPERATURES,
  TRAFFIC_DAMPING,
  MIN_TOTAL_VARIATION,
  MIN_TRAFFIC_QUESTIONS,
  type TrafficPriorOptions,
} from './traffic-prior';
export {
  pseudoLabel,
  retrainingSettings,
  learnFromTraffic,
  RECHOOSE_CUT_MIN_INTENTS,
  MIN_SELF_TRAINING_QUESTIONS,
  type SelfTraining,
  type PseudoLabels,
} from './self-training';
export { describingExamples, intentNameText, type DescribedIntent } from './intent-descriptions';
