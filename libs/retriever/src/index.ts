/**
 * @wendao/retriever: finds the FAQ entries and passages a question is about. HNSW vector search,
 * CJK-aware BM25, reciprocal-rank fusion and an optional reranker, all keyed by caller-owned integer ids.
 */
export { VectorIndex } from './vector-index';
export type {
  VectorIndexOptions,
  VectorIndexManifest,
  VectorIndexExpectation,
  VectorSearchOptions,
  VectorSpace,
} from './vector-index';
export { IndexMismatchError } from './index-mismatch-error';
export type { ScoredId, IdFilter } from './scored-id';
export { Bm25Index, OutdatedSnapshotError } from './bm25-index';
export type { Bm25Options, Bm25SearchOptions, Bm25Hit, Bm25Snapshot } from './bm25-index';
export { TextAnalyzer } from './text-analyzer';
export type { TextAnalyzerOptions } from './text-analyzer';
export { stemEnglish } from './english-stemmer';
export { STOPWORDS } from './stopwords';
export { reciprocalRankFusion } from './reciprocal-rank-fusion';
export type { RankedList, FusionOptions, FusedHit } from './reciprocal-rank-fusion';
export { HybridRetriever } from './hybrid-retriever';
export type {
  HybridRetrieverOptions,
  QueryEmbedder,
  Reranker,
  RetrievalHit,
  RetrievalMode,
  RetrievalOptions,
  RetrievalResult,
} from './hybrid-retriever';
export { CrossEncoderReranker } from './cross-encoder-reranker';
