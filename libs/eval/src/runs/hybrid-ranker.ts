/**
 * The product's HybridRetriever (BM25 + HNSW fused by reciprocal rank, optionally reranked) as a
 * DocumentRanker, built on the same two indexes the bm25 and vector rankers use, so the comparison
 * differs only in fusion and reranking.
 */
import { HybridRetriever, type QueryEmbedder, type Reranker } from '@wendao/retriever';
import type { Bm25Ranker } from './bm25-ranker';
import type { DocumentRanker } from './retrieval-eval';
import type { VectorRanker } from './vector-ranker';

/** Fused candidates the reranker reorders (the retriever's own default). */
const RERANK_TOP = 20;

export class HybridRanker implements DocumentRanker {
  readonly name: string;
  private readonly fused: HybridRetriever;
  private readonly reranked?: HybridRetriever;

  constructor(
    bm25: Bm25Ranker,
    vector: VectorRanker,
    embedder: QueryEmbedder,
    rerank?: { reranker: Reranker; texts: readonly string[] },
  ) {
    this.name = rerank ? 'hybrid+rerank' : 'hybrid';
    this.fused = new HybridRetriever({ bm25: bm25.index, vector: vector.index, embedder });
    if (rerank)
      this.reranked = new HybridRetriever({
        bm25: bm25.index,
        vector: vector.index,
        embedder,
        reranker: rerank.reranker,
        textOf: (id) => rerank.texts[id],
        rerankTop: RERANK_TOP,
      });
  }

  async search(query: string, k: number, allow?: (docId: number) => boolean): Promise<number[]> {
    const fused = (await this.fused.search(query, k, { filter: allow })).map((hit) => hit.id);
    if (!this.reranked) return fused;
    // The retriever reranks max(k, rerankTop) candidates; the eval searches deep (to collapse documents
    // into k distinct entries), so rerank only the head and keep the fused order after it.
    const head = (await this.reranked.search(query, Math.min(k, RERANK_TOP), { filter: allow })).map(
      (hit) => hit.id,
    );
    const seen = new Set(head);
    return [...head, ...fused.filter((id) => !seen.has(id))];
  }
}
