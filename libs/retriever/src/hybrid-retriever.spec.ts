import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SentenceEncoder } from '@wendao/encoder';
import { writeTinyModel } from '@wendao/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORT_FAQS, faqText } from '../test/support-faqs';
import { Bm25Index } from './bm25-index';
import { HybridRetriever, type Reranker } from './hybrid-retriever';
import { reciprocalRankFusion } from './reciprocal-rank-fusion';
import { VectorIndex } from './vector-index';

const TEXTS = new Map(SUPPORT_FAQS.map((f) => [f.id, faqText(f)]));
// Nothing but symbols: BM25 has no term for it, an embedding of the identical text can see it.
const SYMBOLS_ONLY_ID = 99;
TEXTS.set(SYMBOLS_ONLY_ID, '🙂👍？');

function bm25(): Bm25Index {
  const index = new Bm25Index();
  for (const [id, text] of TEXTS) index.add(id, text);
  return index;
}

/** A real (if simple) reranker: Jaccard overlap of the query's and candidate's character sets. */
class CharOverlapReranker implements Reranker {
  calls = 0;
  async rerank(query: string, candidates: Array<{ id: number; text: string }>) {
    this.calls++;
    return candidates.map((c) => ({ id: c.id, score: CharOverlapReranker.jaccard(query, c.text) }));
  }
  static jaccard(a: string, b: string): number {
    const sa = new Set(a);
    const sb = new Set(b);
    const inter = [...sa].filter((ch) => sb.has(ch)).length;
    return inter / (sa.size + sb.size - inter);
  }
}

describe('HybridRetriever, lexical mode', () => {
  it('is BM25 alone when there are no vectors, and says so', async () => {
    const index = bm25();
    const retriever = new HybridRetriever({ bm25: index });
    expect(retriever.mode).toBe('lexical');
    const result = await retriever.retrieve('能开发票吗', 3);
    expect(result.mode).toBe('lexical');
    expect(result.reranked).toBe(false);
    const expected = index.search('能开发票吗', 3);
    expect(result.hits).toEqual(
      expected.map((h, i) => ({ id: h.id, score: h.score, bm25Rank: i + 1, bm25Score: h.score })),
    );
    expect(result.hits[0].id).toBe(4);
  });

  it('returns nothing for an empty question and validates k', async () => {
    const retriever = new HybridRetriever({ bm25: bm25() });
    expect(await retriever.search('   ', 5)).toEqual([]);
    await expect(retriever.search('发票', -2)).rejects.toThrow(/k must be a non-negative integer/);
  });

  it('reorders the top candidates with a reranker', async () => {
    const reranker = new CharOverlapReranker();
    const query = '运费和退货';
    const plain = await new HybridRetriever({ bm25: bm25() }).search(query, 5);
    const retriever = new HybridRetriever({
      bm25: bm25(),
      reranker,
      textOf: (id) => TEXTS.get(id),
    });
    const result = await retriever.retrieve(query, 5);
    expect(result.reranked).toBe(true);
    expect(reranker.calls).toBe(1);
    const expectedOrder = [...(await new HybridRetriever({ bm25: bm25() }).search(query, 20))]
      .map((h) => ({ id: h.id, s: CharOverlapReranker.jaccard(query, TEXTS.get(h.id)!) }))
      .sort((a, b) => b.s - a.s)
      .slice(0, 5);
    expect(result.hits.map((h) => h.id)).toEqual(expectedOrder.map((h) => h.id));
    expect(result.hits[0].rerankScore).toBeCloseTo(expectedOrder[0].s, 12);
    expect(result.hits[0].score).toBe(result.hits[0].rerankScore);
    // The point of a reranker: the order differs from BM25's.
    expect(result.hits.map((h) => h.id)).not.toEqual(plain.map((h) => h.id));
    expect(result.hits.every((h) => h.bm25Rank !== undefined)).toBe(true);
  });

  it('rejects inconsistent configurations with clear errors', () => {
    expect(() => new HybridRetriever({ bm25: bm25(), reranker: new CharOverlapReranker() })).toThrow(
      /reranker needs textOf/,
    );
    const vector = new VectorIndex({ dim: 8, space: 'cosine', modelId: 'm' });
    expect(() => new HybridRetriever({ bm25: bm25(), vector })).toThrow(/needs an embedder/);
  });
});

describe('HybridRetriever with a real ONNX sentence encoder (tiny random-weight BERT)', () => {
  let dir: string;
  let encoder: SentenceEncoder;
  let vector: VectorIndex;
  const ids = [...TEXTS.keys()];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wendao-hybrid-'));
    await writeTinyModel(dir, { head: 'embedder', pooling: 'mean', seed: 11 });
    encoder = await SentenceEncoder.load(dir);
    vector = new VectorIndex({ dim: encoder.dim, space: 'cosine', modelId: encoder.modelId });
    const { vectors } = await encoder.embed(ids.map((id) => TEXTS.get(id)!));
    ids.forEach((id, i) => vector.add(id, vectors[i]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('weighs the vector list 5 : 1 against BM25 with k 10 by default (tuned on real embedders)', async () => {
    const index = bm25();
    const retriever = new HybridRetriever({ bm25: index, vector, embedder: encoder });
    const query = '能开发票吗';
    const result = await retriever.retrieve(query, 5);
    const lexical = index.search(query, 50);
    const semantic = vector.search((await encoder.embed([query])).vectors[0], 50);
    const expected = reciprocalRankFusion(
      [
        { hits: lexical, weight: 1 },
        { hits: semantic, weight: 5 },
      ],
      { k: 10, limit: 5 },
    );
    expect(result.hits.map((h) => h.id)).toEqual(expected.map((h) => h.id));
    expect(result.hits[0].score).toBeCloseTo(expected[0].score, 12);
    const equal = reciprocalRankFusion([{ hits: lexical }, { hits: semantic }], { limit: 5 });
    expect(equal.map((h) => h.id)).not.toEqual(expected.map((h) => h.id));
  });

  it('fuses BM25 and vector candidates by reciprocal rank and reports both ranks', async () => {
    const index = bm25();
    const retriever = new HybridRetriever({
      bm25: index,
      vector,
      embedder: encoder,
      weights: { bm25: 1, vector: 1 },
      rrfK: 60,
    });
    expect(retriever.mode).toBe('hybrid');
    const query = '能开发票吗';
    const result = await retriever.retrieve(query, 5);
    expect(result.mode).toBe('hybrid');

    const lexical = index.search(query, 50);
    const semantic = vector.search((await encoder.embed([query])).vectors[0], 50);
    const expected = reciprocalRankFusion([{ hits: lexical }, { hits: semantic }], { limit: 5 });
    expect(result.hits.map((h) => h.id)).toEqual(expected.map((h) => h.id));
    result.hits.forEach((hit, i) => {
      expect(hit.score).toBeCloseTo(expected[i].score, 12);
      expect(hit.bm25Rank).toBe(expected[i].ranks[0]);
      expect(hit.vectorRank).toBe(expected[i].ranks[1]);
    });
    const invoice = result.hits.find((h) => h.id === 4)!;
    expect(invoice.bm25Rank).toBe(1);
    expect(invoice.bm25Score).toBeCloseTo(lexical[0].score, 12);
    expect(invoice.vectorScore).toBeCloseTo(semantic.find((h) => h.id === 4)!.score, 6);
  });

  it('uses a query vector the caller already has instead of embedding the query again', async () => {
    let embedded = 0;
    const counting = {
      modelId: encoder.modelId,
      dim: encoder.dim,
      embed: (texts: string[]) => ((embedded += texts.length), encoder.embed(texts)),
    };
    const retriever = new HybridRetriever({ bm25: bm25(), vector, embedder: counting });
    const query = '能开发票吗';
    const fresh = await retriever.search(query, 5);
    expect(embedded).toBe(1);
    const queryVector = (await encoder.embed([query])).vectors[0];
    expect(await retriever.search(query, 5, { queryVector })).toEqual(fresh);
    expect(embedded).toBe(1);
    await expect(retriever.search(query, 5, { queryVector: new Float32Array(3) })).rejects.toThrow(
      /queryVector has 3 dimensions, the index 32/,
    );
  });

  it('finds through the vector side what BM25 cannot see', async () => {
    const retriever = new HybridRetriever({ bm25: bm25(), vector, embedder: encoder });
    const [top] = await retriever.search('🙂👍？', 3);
    expect(top.id).toBe(SYMBOLS_ONLY_ID);
    expect(top.bm25Rank).toBeUndefined();
    expect(top.vectorRank).toBe(1);
    expect(top.vectorScore).toBeCloseTo(1, 4);
  });

  it('applies the filter to both sides', async () => {
    const retriever = new HybridRetriever({ bm25: bm25(), vector, embedder: encoder });
    const hits = await retriever.search('能开发票吗', 10, { filter: (id) => id !== 4 && id < 20 });
    expect(hits.length).toBe(10);
    expect(hits.every((h) => h.id !== 4 && h.id < 20)).toBe(true);
  });

  it('follows the list weights: a zero BM25 weight ranks by vectors alone', async () => {
    const retriever = new HybridRetriever({
      bm25: bm25(),
      vector,
      embedder: encoder,
      weights: { bm25: 0, vector: 1 },
    });
    const query = '运费怎么算';
    const semantic = vector.search((await encoder.embed([query])).vectors[0], 5);
    expect((await retriever.search(query, 5)).map((h) => h.id)).toEqual(semantic.map((h) => h.id));
  });

  it('refuses an embedder that does not match the vector index', () => {
    const other = new VectorIndex({ dim: encoder.dim, space: 'cosine', modelId: 'someone/else' });
    expect(() => new HybridRetriever({ bm25: bm25(), vector: other, embedder: encoder })).toThrow(
      /embedder is '.*' but the vector index was built with 'someone\/else'/,
    );
    const wrongDim = new VectorIndex({ dim: encoder.dim + 1, space: 'cosine', modelId: encoder.modelId });
    expect(() => new HybridRetriever({ bm25: bm25(), vector: wrongDim, embedder: encoder })).toThrow(/dim/);
  });
});
