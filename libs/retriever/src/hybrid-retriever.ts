/**
 * Question -> ranked passage/FAQ ids: BM25 and (when an embedder and a vector index are present) HNSW
 * candidates fused by reciprocal rank, optionally reordered by a reranker. Without vectors it runs in
 * 'lexical' mode, so the same code answers with or without models.
 */
import type { Bm25Index } from './bm25-index';
import { reciprocalRankFusion } from './reciprocal-rank-fusion';
import type { IdFilter, ScoredId } from './scored-id';
import type { VectorIndex } from './vector-index';

/** What the retriever needs from an embedder; structurally the encoder lib's `Embedder`. */
export interface QueryEmbedder {
  readonly modelId: string;
  readonly dim: number;
  embed(texts: string[]): Promise<{ vectors: Float32Array[] }>;
}

/** Scores (query, candidate text) pairs jointly, e.g. a cross-encoder; higher is better. */
export interface Reranker {
  rerank(query: string, candidates: Array<{ id: number; text: string }>): Promise<ScoredId[]>;
}

export type RetrievalMode = 'lexical' | 'hybrid';

export interface HybridRetrieverOptions {
  bm25: Bm25Index;
  vector?: VectorIndex;
  embedder?: QueryEmbedder;
  reranker?: Reranker;
  /** Candidate text by id; required with a reranker. */
  textOf?: (id: number) => string | undefined;
  /** RRF weight per list (default: BM25 1, vector 5; see DEFAULT_WEIGHTS). */
  weights?: { bm25?: number; vector?: number };
  /** How deep each list is read before fusion (default 50, at least k). */
  candidates?: number;
  /** How many fused candidates the reranker sees (default 20, at least k). */
  rerankTop?: number;
  /** RRF constant (default 10; see DEFAULT_WEIGHTS). */
  rrfK?: number;
}

/**
 * Fusion defaults, from Recall@1 x100 with real embedders (INT8; /tmp experiment over the eval
 * sets' BM25 and HNSW top-100 lists, recorded in docs/evaluation.md):
 *   set (model)              BM25   vector | RRF k60 w1:1 | k10 w1:3 | k10 w1:5
 *   StackFAQ (MiniLM-L6)     70.38  93.76  | 86.87        | 91.67    | 93.43
 *   SMP2017 (e5-small-q4)    68.27  75.80  | 73.13        | 75.13    | 75.80
 *   LCQMC 1500 (e5-small-q4) 68.13  72.00  | 70.00        | 71.67    | 72.00
 *   CAIS (e5-small-q4)       93.47  93.87  | 94.26        | 93.77    | 93.77
 * Equal-weight RRF let the weaker BM25 list outvote a good embedder; weighted 1:5 with k 10 keeps the
 * embedder's order where it is sure and lets BM25 lift a document the embedder ranks 2nd-3rd when
 * BM25 ranks it first (exact product names, codes). A convex mix of cosine and max-normalised BM25
 * was worse at every mix (0.5-0.9).
 */
const DEFAULT_WEIGHTS = { bm25: 1, vector: 5 };
const DEFAULT_RRF_K = 10;

export interface RetrievalHit {
  id: number;
  /** Lexical mode: the BM25 score. Hybrid: the RRF score. With a reranker: the reranker's score. */
  score: number;
  bm25Rank?: number;
  bm25Score?: number;
  vectorRank?: number;
  vectorScore?: number;
  rerankScore?: number;
}

export interface RetrievalResult {
  mode: RetrievalMode;
  reranked: boolean;
  hits: RetrievalHit[];
}

export interface RetrievalOptions {
  filter?: IdFilter;
  /** The query's embedding when the caller already has it (same embedder); skips embedding it again. */
  queryVector?: Float32Array;
}

export class HybridRetriever {
  readonly mode: RetrievalMode;
  private readonly bm25: Bm25Index;
  private readonly vector?: VectorIndex;
  private readonly embedder?: QueryEmbedder;
  private readonly reranker?: Reranker;
  private readonly textOf?: (id: number) => string | undefined;
  private readonly weights: { bm25: number; vector: number };
  private readonly candidates: number;
  private readonly rerankTop: number;
  private readonly rrfK: number;

  constructor(options: HybridRetrieverOptions) {
    const { bm25, vector, embedder } = options;
    if (!bm25) throw new Error('HybridRetriever: a bm25 index is required');
    if (vector && !embedder)
      throw new Error('HybridRetriever: a vector index needs an embedder to turn queries into vectors');
    if (embedder && !vector) throw new Error('HybridRetriever: an embedder was given without a vector index');
    if (vector && embedder) {
      if (embedder.modelId !== vector.modelId)
        throw new Error(
          `HybridRetriever: embedder is '${embedder.modelId}' but the vector index was built with '${vector.modelId}'`,
        );
      if (embedder.dim !== vector.dim)
        throw new Error(
          `HybridRetriever: embedder dim ${embedder.dim} differs from vector index dim ${vector.dim}`,
        );
    }
    if (options.reranker && !options.textOf)
      throw new Error('HybridRetriever: a reranker needs textOf(id) to read candidate texts');
    this.bm25 = bm25;
    this.vector = vector;
    this.embedder = embedder;
    this.reranker = options.reranker;
    this.textOf = options.textOf;
    this.weights = {
      bm25: options.weights?.bm25 ?? DEFAULT_WEIGHTS.bm25,
      vector: options.weights?.vector ?? DEFAULT_WEIGHTS.vector,
    };
    this.candidates = options.candidates ?? 50;
    this.rerankTop = options.rerankTop ?? 20;
    this.rrfK = options.rrfK ?? DEFAULT_RRF_K;
    this.mode = vector && embedder ? 'hybrid' : 'lexical';
  }

  /** The k best ids for `query`, best first. */
  async search(query: string, k: number, options: RetrievalOptions = {}): Promise<RetrievalHit[]> {
    return (await this.retrieve(query, k, options)).hits;
  }

  /** Like `search`, also saying which mode produced the hits and whether they were reranked. */
  async retrieve(query: string, k: number, options: RetrievalOptions = {}): Promise<RetrievalResult> {
    if (typeof query !== 'string') throw new Error('HybridRetriever: query must be a string');
    if (!Number.isInteger(k) || k < 0)
      throw new Error(`HybridRetriever: k must be a non-negative integer, got ${k}`);
    const result: RetrievalResult = { mode: this.mode, reranked: false, hits: [] };
    if (k === 0 || query.trim() === '') return result;
    const depth = Math.max(k, this.candidates, this.reranker ? this.rerankTop : 0);
    const lexical = this.bm25.search(query, depth, { filter: options.filter });

    let hits: RetrievalHit[];
    if (this.mode === 'lexical') {
      hits = lexical.map((h, i) => ({ id: h.id, score: h.score, bm25Rank: i + 1, bm25Score: h.score }));
    } else {
      const queryVector = options.queryVector ?? (await this.embedder!.embed([query])).vectors[0];
      if (queryVector.length !== this.vector!.dim) {
        throw new Error(
          `HybridRetriever: queryVector has ${queryVector.length} dimensions, the index ${this.vector!.dim}`,
        );
      }
      const semantic = this.vector!.search(queryVector, depth, { filter: options.filter });
      const bm25Score = new Map(lexical.map((h) => [h.id, h.score]));
      const vectorScore = new Map(semantic.map((h) => [h.id, h.score]));
      hits = reciprocalRankFusion(
        [
          { hits: lexical, weight: this.weights.bm25 },
          { hits: semantic, weight: this.weights.vector },
        ],
        { k: this.rrfK },
      ).map((f) => ({
        id: f.id,
        score: f.score,
        ...(f.ranks[0] !== undefined ? { bm25Rank: f.ranks[0], bm25Score: bm25Score.get(f.id) } : {}),
        ...(f.ranks[1] !== undefined ? { vectorRank: f.ranks[1], vectorScore: vectorScore.get(f.id) } : {}),
      }));
    }

    if (this.reranker && hits.length > 0) {
      hits = await this.rerank(query, hits, Math.max(k, this.rerankTop));
      result.reranked = true;
    }
    result.hits = hits.slice(0, k);
    return result;
  }

  /** Reorders the head of the list by the reranker; candidates without text keep their order after it. */
  private async rerank(query: string, hits: RetrievalHit[], top: number): Promise<RetrievalHit[]> {
    const head = hits.slice(0, top);
    const candidates: Array<{ id: number; text: string }> = [];
    const unreadable: RetrievalHit[] = [];
    for (const hit of head) {
      const text = this.textOf!(hit.id);
      if (text === undefined) unreadable.push(hit);
      else candidates.push({ id: hit.id, text });
    }
    const scores = new Map((await this.reranker!.rerank(query, candidates)).map((s) => [s.id, s.score]));
    const byId = new Map(head.map((h) => [h.id, h]));
    const reranked: RetrievalHit[] = [];
    for (const c of candidates) {
      const score = scores.get(c.id);
      if (score === undefined || !Number.isFinite(score))
        throw new Error(`HybridRetriever: reranker returned no finite score for candidate ${c.id}`);
      reranked.push({ ...byId.get(c.id)!, score, rerankScore: score });
    }
    // Stable on ties, so equal reranker scores keep the fused order.
    reranked.sort((a, b) => b.score - a.score);
    return [...reranked, ...unreadable, ...hits.slice(top)];
  }
}
