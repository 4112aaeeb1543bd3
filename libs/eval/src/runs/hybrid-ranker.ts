/**
 * The product's HybridRetriever (BM25 + HNSW fused by reciprocal rank) as a DocumentRanker, built on
 * the same two indexes the bm25 and vector rankers use, so the comparison differs only in fusion.
 */
import { HybridRetriever, type QueryEmbedder } from '@wendao/retriever';
import type { Bm25Ranker } from './bm25-ranker';
import type { DocumentRanker } from './retrieval-eval';
import type { VectorRanker } from './vector-ranker';

export class HybridRanker implements DocumentRanker {
  readonly name = 'hybrid';
  readonly retriever: HybridRetriever;

  constructor(bm25: Bm25Ranker, vector: VectorRanker, embedder: QueryEmbedder) {
    this.retriever = new HybridRetriever({ bm25: bm25.index, vector: vector.index, embedder });
  }

  async search(query: string, k: number, allow?: (docId: number) => boolean): Promise<number[]> {
    return (await this.retriever.search(query, k, { filter: allow })).map((hit) => hit.id);
  }
}
