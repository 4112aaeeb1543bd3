/**
 * The product's HNSW vector index over embedder vectors, as a DocumentRanker: the neural half of
 * hybrid retrieval, and "vector only" in the retrieval comparison.
 */
import type { Embedder } from '@wendao/encoder';
import { VectorIndex } from '@wendao/retriever';
import type { DocumentRanker } from './retrieval-eval';

export class VectorRanker implements DocumentRanker {
  readonly name = 'vector';

  private constructor(
    readonly index: VectorIndex,
    private readonly embedder: Embedder,
  ) {}

  /** Embeds every document (in batches, reporting progress) and builds the index. */
  static async build(
    texts: readonly string[],
    embedder: Embedder,
    onProgress?: (done: number, total: number) => void,
    batchSize = 256,
  ): Promise<VectorRanker> {
    const index = new VectorIndex({
      dim: embedder.dim,
      space: 'cosine',
      modelId: embedder.modelId,
      maxElements: Math.max(16, texts.length),
    });
    for (let i = 0; i < texts.length; i += batchSize) {
      const { vectors } = await embedder.embed(texts.slice(i, i + batchSize) as string[]);
      vectors.forEach((v, j) => index.add(i + j, v));
      onProgress?.(Math.min(texts.length, i + batchSize), texts.length);
    }
    return new VectorRanker(index, embedder);
  }

  async search(query: string, k: number, allow?: (docId: number) => boolean): Promise<number[]> {
    const [vector] = (await this.embedder.embed([query])).vectors;
    return this.index.search(vector, k, { filter: allow }).map((hit) => hit.id);
  }
}
