/**
 * One knowledge base's retrieval state at one KB version: the FAQ phrasings (BM25, plus
 * embeddings for cosine matching when an encoder is loaded), the passages and FAQ answers the
 * reader may read (BM25 + HNSW), and the texts needed to answer without a database round trip.
 * Mutations are synchronous, so a question never sees half of a change.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '@wendao/encoder';
import { Bm25Index, HybridRetriever, VectorIndex } from '@wendao/retriever';

export interface IndexedFaq {
  seq: number;
  id: string;
  documentId: string | null;
  question: string;
  alternates: string[];
  answer: string;
  /** One embedding per phrasing (question first, then alternates), when an encoder is loaded. */
  vectors?: Float32Array[];
}

export interface IndexedPassage {
  seq: number;
  id: string;
  documentId: string;
  fileName: string;
  ordinal: number;
  text: string;
  start: number;
  end: number;
}

/** A reader candidate: a document passage or an FAQ's answer text. */
export type ReadablePassage =
  | { kind: 'passage'; passage: IndexedPassage; score: number }
  | { kind: 'faq'; faq: IndexedFaq; score: number };

export interface KnowledgeIndexManifest {
  formatVersion: number;
  kbId: string;
  kbVersion: number;
  /** The encoder whose vectors are inside, or null for a lexical-only index. */
  modelId: string | null;
  faqs: number;
  passages: number;
  savedAt: string;
}

const FORMAT_VERSION = 1;

function faqPhrasings(faq: Pick<IndexedFaq, 'question' | 'alternates'>): string[] {
  return [faq.question, ...faq.alternates];
}

function toBase64(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

function fromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

export class KnowledgeIndex {
  readonly faqs = new Map<number, IndexedFaq>();
  readonly passages = new Map<number, IndexedPassage>();
  private readonly faqBm25: Bm25Index;
  private readonly passageBm25: Bm25Index;
  private readonly vectors?: VectorIndex;
  private readonly retriever: HybridRetriever;

  private constructor(
    readonly kbId: string,
    public version: number,
    embedder: Embedder | undefined,
    parts?: { faqBm25: Bm25Index; passageBm25: Bm25Index; vectors?: VectorIndex },
  ) {
    this.faqBm25 = parts?.faqBm25 ?? new Bm25Index();
    this.passageBm25 = parts?.passageBm25 ?? new Bm25Index();
    this.vectors =
      parts?.vectors ??
      (embedder
        ? new VectorIndex({ dim: embedder.dim, space: 'cosine', modelId: embedder.modelId })
        : undefined);
    this.retriever = new HybridRetriever({
      bm25: this.passageBm25,
      vector: this.vectors,
      embedder: this.vectors ? embedder : undefined,
    });
  }

  static empty(kbId: string, version: number, embedder?: Embedder): KnowledgeIndex {
    return new KnowledgeIndex(kbId, version, embedder);
  }

  /** Embeds every FAQ's phrasings in batches; one vector list per FAQ, in order. */
  static async embedFaqs(
    embedder: Embedder,
    faqs: Pick<IndexedFaq, 'question' | 'alternates'>[],
    batchSize = 64,
  ): Promise<Float32Array[][]> {
    const texts = faqs.flatMap(faqPhrasings);
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize)
      vectors.push(...(await embedder.embed(texts.slice(i, i + batchSize))).vectors);
    let next = 0;
    return faqs.map((faq) => {
      const count = 1 + faq.alternates.length;
      next += count;
      return vectors.slice(next - count, next);
    });
  }

  /** Loads the tokenizers' dictionaries (jieba) now rather than on the first question. */
  static async warmUpAnalyzers(): Promise<void> {
    const index = KnowledgeIndex.empty('warm-up', 0);
    index.addPassage({
      seq: 1,
      id: 'warm-up',
      documentId: 'warm-up',
      fileName: '',
      ordinal: 0,
      text: '预热 warm up',
      start: 0,
      end: 8,
    });
    await index.readablePassages('预热索引 warm up', 1);
  }

  get modelId(): string | null {
    return this.vectors ? this.vectors.modelId : null;
  }

  upsertFaq(faq: IndexedFaq): void {
    if (this.faqs.has(faq.seq)) this.removeFaq(faq.seq);
    this.faqs.set(faq.seq, faq);
    this.faqBm25.add(faq.seq, faqPhrasings(faq).join('\n'));
    this.passageBm25.add(faq.seq, faq.answer);
  }

  removeFaq(seq: number): boolean {
    if (!this.faqs.delete(seq)) return false;
    this.faqBm25.remove(seq);
    this.passageBm25.remove(seq);
    return true;
  }

  /** Adds a passage; `vector` is required when the index holds vectors. */
  addPassage(passage: IndexedPassage, vector?: Float32Array): void {
    if (this.vectors && !vector) throw new Error(`passage ${passage.id} has no embedding`);
    this.passages.set(passage.seq, passage);
    this.passageBm25.add(passage.seq, passage.text);
    if (this.vectors && vector) this.vectors.upsert(passage.seq, vector);
  }

  /** Drops a document's passages and FAQ entries; returns how many items left the index. */
  removeDocument(documentId: string): number {
    let removed = 0;
    for (const [seq, passage] of this.passages) {
      if (passage.documentId !== documentId) continue;
      this.passages.delete(seq);
      this.passageBm25.remove(seq);
      this.vectors?.remove(seq);
      removed++;
    }
    for (const [seq, faq] of this.faqs) if (faq.documentId === documentId && this.removeFaq(seq)) removed++;
    return removed;
  }

  /**
   * FAQ candidates for a question: BM25 over the phrasings, plus (with vectors) every FAQ whose
   * best phrasing embedding is close. The caller scores them; this only gathers.
   */
  faqCandidates(question: string, k: number, questionVector?: Float32Array): IndexedFaq[] {
    const seen = new Set<number>();
    const out: IndexedFaq[] = [];
    for (const hit of this.faqBm25.search(question, k)) {
      const faq = this.faqs.get(hit.id);
      if (faq && !seen.has(faq.seq)) {
        seen.add(faq.seq);
        out.push(faq);
      }
    }
    if (questionVector) {
      const byCosine = [...this.faqs.values()]
        .filter((faq) => faq.vectors?.length)
        .map((faq) => ({ faq, score: KnowledgeIndex.bestCosine(questionVector, faq) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, k);
      for (const { faq } of byCosine) {
        if (!seen.has(faq.seq)) {
          seen.add(faq.seq);
          out.push(faq);
        }
      }
    }
    return out;
  }

  /** Highest cosine between the question and any of the FAQ's phrasings (vectors are L2-normalised). */
  static bestCosine(questionVector: Float32Array, faq: IndexedFaq): number {
    let best = -1;
    for (const v of faq.vectors ?? []) {
      let dot = 0;
      for (let i = 0; i < v.length; i++) dot += v[i] * questionVector[i];
      if (dot > best) best = dot;
    }
    return best;
  }

  /**
   * The passages and FAQ answers most likely to contain the answer, best first. `questionVector`:
   * the question's embedding when the caller already made it (it is not embedded again).
   */
  async readablePassages(
    question: string,
    k: number,
    questionVector?: Float32Array,
  ): Promise<ReadablePassage[]> {
    const hits = await this.retriever.search(question, k, { queryVector: questionVector });
    const out: ReadablePassage[] = [];
    for (const hit of hits) {
      const passage = this.passages.get(hit.id);
      if (passage) out.push({ kind: 'passage', passage, score: hit.score });
      else {
        const faq = this.faqs.get(hit.id);
        if (faq) out.push({ kind: 'faq', faq, score: hit.score });
      }
    }
    return out;
  }

  /** Writes the index under `dir` (atomically: a temp folder renamed into place). */
  save(dir: string): KnowledgeIndexManifest {
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const manifest: KnowledgeIndexManifest = {
      formatVersion: FORMAT_VERSION,
      kbId: this.kbId,
      kbVersion: this.version,
      modelId: this.modelId,
      faqs: this.faqs.size,
      passages: this.passages.size,
      savedAt: new Date().toISOString(),
    };
    const items = {
      faqs: [...this.faqs.values()].map((faq) => ({ ...faq, vectors: faq.vectors?.map(toBase64) })),
      passages: [...this.passages.values()],
    };
    writeFileSync(join(tmp, 'items.json'), JSON.stringify(items));
    writeFileSync(join(tmp, 'faq-bm25.json'), JSON.stringify(this.faqBm25.toJSON()));
    writeFileSync(join(tmp, 'passage-bm25.json'), JSON.stringify(this.passageBm25.toJSON()));
    if (this.vectors) this.vectors.save(join(tmp, 'vectors'), { kbVersion: this.version });
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, '..'), { recursive: true });
    renameSync(tmp, dir);
    return manifest;
  }

  /**
   * Loads a saved index if it was saved for exactly this KB version and encoder; null when it is
   * missing, stale or unreadable (the caller then rebuilds from PostgreSQL).
   */
  static load(
    dir: string,
    expected: { kbId: string; kbVersion: number; embedder?: Embedder },
  ): KnowledgeIndex | null {
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) return null;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as KnowledgeIndexManifest;
    const modelId = expected.embedder?.modelId ?? null;
    if (
      manifest.formatVersion !== FORMAT_VERSION ||
      manifest.kbId !== expected.kbId ||
      manifest.kbVersion !== expected.kbVersion ||
      manifest.modelId !== modelId
    )
      return null;
    const vectors = expected.embedder
      ? VectorIndex.load(join(dir, 'vectors'), {
          dim: expected.embedder.dim,
          modelId: expected.embedder.modelId,
          kbVersion: expected.kbVersion,
        })
      : undefined;
    const index = new KnowledgeIndex(expected.kbId, expected.kbVersion, expected.embedder, {
      faqBm25: Bm25Index.fromJSON(JSON.parse(readFileSync(join(dir, 'faq-bm25.json'), 'utf8'))),
      passageBm25: Bm25Index.fromJSON(JSON.parse(readFileSync(join(dir, 'passage-bm25.json'), 'utf8'))),
      vectors,
    });
    const items = JSON.parse(readFileSync(join(dir, 'items.json'), 'utf8')) as {
      faqs: (Omit<IndexedFaq, 'vectors'> & { vectors?: string[] })[];
      passages: IndexedPassage[];
    };
    for (const faq of items.faqs) index.faqs.set(faq.seq, { ...faq, vectors: faq.vectors?.map(fromBase64) });
    for (const passage of items.passages) index.passages.set(passage.seq, passage);
    return index;
  }
}

export { faqPhrasings };
