/**
 * @wendao/encoder: Sentence-BERT embeddings from local ONNX model folders.
 */
export type { Embedder, EmbeddingResult } from './embedder';
export { SentenceEncoder, type SentenceEncoderOptions, type EncoderStats } from './sentence-encoder';
export { poolHiddenStates, l2Normalize } from './pooling';
export { cosineSimilarity } from './cosine-similarity';
export { ThreadedEncoder } from './threaded-encoder';
