/**
 * The retrieval systems an eval compares over one text collection: BM25 alone in lexical mode; with an
 * embedder also vector and hybrid, and hybrid + rerank when a cross-encoder is loaded. Last is strongest.
 */
import type { Embedder } from '@wendao/encoder';
import type { CrossEncoderReranker } from '@wendao/retriever';
import { Bm25Ranker } from './bm25-ranker';
import { HybridRanker } from './hybrid-ranker';
import type { DocumentRanker } from './retrieval-eval';
import { VectorRanker } from './vector-ranker';

export async function buildRankers(
  texts: string[],
  models: { embedder?: Embedder; reranker?: CrossEncoderReranker },
  onEmbeddingProgress?: (done: number, total: number) => void,
): Promise<DocumentRanker[]> {
  const { embedder, reranker } = models;
  const bm25 = new Bm25Ranker(texts);
  if (!embedder) return [bm25];
  const vector = await VectorRanker.build(texts, embedder, onEmbeddingProgress);
  const rankers: DocumentRanker[] = [bm25, vector, new HybridRanker(bm25, vector, embedder)];
  if (reranker) rankers.push(new HybridRanker(bm25, vector, embedder, { reranker, texts }));
  return rankers;
}
