/**
 * Scores sentence pairs by similarity: embedder cosine in neural mode, TF-IDF cosine in lexical mode.
 * Used by both the STS and the pair-classification evals.
 */
import { cosineSimilarity } from '@wendao/encoder';
import { LexicalSimilarity } from './lexical-similarity';

/** The embedding side of '@wendao/encoder' this eval needs (SentenceEncoder satisfies it). */
export interface PairEmbedder {
  readonly modelId: string;
  embed(texts: string[]): Promise<{ vectors: Float32Array[] }>;
}

/** Similarity of each pair, in order. Embeds every distinct sentence once, in batches. */
export async function scorePairs(
  pairs: ReadonlyArray<{ a: string; b: string }>,
  embedder?: PairEmbedder,
  batchSize = 64,
): Promise<number[]> {
  if (!embedder) {
    const lexical = new LexicalSimilarity(pairs.flatMap((p) => [p.a, p.b]));
    return pairs.map((p) => lexical.similarity(p.a, p.b));
  }
  const distinct = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const vectors = new Map<string, Float32Array>();
  for (let i = 0; i < distinct.length; i += batchSize) {
    const batch = distinct.slice(i, i + batchSize);
    const { vectors: out } = await embedder.embed(batch);
    batch.forEach((text, j) => vectors.set(text, out[j]));
  }
  return pairs.map((p) => cosineSimilarity(vectors.get(p.a)!, vectors.get(p.b)!));
}
