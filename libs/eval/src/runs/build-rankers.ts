/**
 * The retrieval systems an eval compares over one text collection: BM25 alone in lexical mode; with an
 * embedder also vector and hybrid, and hybrid + rerank when a cross-encoder is loaded. Last is strongest.
 */
import { Bm25Ranker } from './bm25-ranker';
import type { EvalModels } from './eval-models';
import { HybridRanker } from './hybrid-ranker';
import type { DocumentRanker } from './retrieval-eval';
import { VectorRanker } from './vector-ranker';

export async function buildRankers(
  texts: string[],
  models: EvalModels,
  onEmbeddingProgress?: (done: number, total: number) => void,
): Promise<DocumentRanker[]> {
  const bm25 = new Bm25Ranker(texts);
  if (!models.embedder) return [bm25];
  const vector = await VectorRanker.build(texts, models.embedder, onEmbeddingProgress);
  const rankers: DocumentRanker[] = [bm25, vector, new HybridRanker(bm25, vector, models.embedder)];
  if (models.reranker)
    rankers.push(new HybridRanker(bm25, vector, models.embedder, { reranker: models.reranker, texts }));
  return rankers;
}
