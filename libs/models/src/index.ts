/**
 * @wendao/models: model folders (loading, pooling config, ONNX sessions and their batched inputs),
 * tokenizers, and the ONNX BERT builder used by tests, benchmarks and converters.
 */
export * from './onnx';
export {
  TextTokenizer,
  type TokenizedText,
  type TextTokenizerOptions,
  type TokenizeOptions,
  type TokenIds,
  type PairTemplate,
} from './tokenizer/text-tokenizer';
export {
  buildBertTokenizerJson,
  parseVocabTxt,
  type BertTokenizerJson,
  type BertTokenizerOptions,
} from './tokenizer/bert-tokenizer-json';
export {
  loadModelFolder,
  type ModelFolder,
  type ModelTask,
  type PoolingMode,
  type LoadModelFolderOptions,
} from './folder/model-folder';
export {
  MODEL_PULL_LOCK,
  MODEL_PULL_LOCK_OWNER,
  MODEL_PULL_LOCK_STALE_MS,
  MODEL_PULL_LOCK_UPDATE_MS,
  currentPullLockOwner,
  modelPullInProgress,
  pullLockOwnerIsDead,
  readPullLockOwner,
  type PullLockOwner,
} from './folder/model-pull-lock';
export { resolveModel, type ResolveModelOptions } from './folder/resolve-model';
export { listModels, type ModelSummary } from './folder/list-models';
export { createSession, type CreateSessionOptions } from './folder/create-session';
export { sentenceTransformersPooling } from './folder/sentence-transformers-pooling';
export { bertFeeds, type BertFeeds, type BertFeedsOptions, type FeedSequence } from './folder/bert-feeds';
export { packedBertFeeds, type PackedFeeds, type PackedFeedsOptions } from './folder/packed-feeds';
export {
  packedBertModel,
  openPackedSession,
  openCheckedPackedSession,
  MAX_PACKED_SOURCE_BYTES,
  type PackedBertModel,
  type PackedSession,
} from './folder/packed-bert-model';
