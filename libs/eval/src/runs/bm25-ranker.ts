/**
 * The product's BM25 index as a DocumentRanker: the lexical-mode retriever and one half of hybrid.
 */
import { Bm25Index } from '@wendao/retriever';
import type { DocumentRanker } from './retrieval-eval';

export class Bm25Ranker implements DocumentRanker {
  readonly name = 'bm25';
  readonly index = new Bm25Index();

  constructor(texts: readonly string[]) {
    texts.forEach((text, id) => this.index.add(id, text));
  }

  async search(query: string, k: number, allow?: (docId: number) => boolean): Promise<number[]> {
    return this.index.search(query, k, { filter: allow }).map((hit) => hit.id);
  }
}
