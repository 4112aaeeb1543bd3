/**
 * One knowledge base's retrieval state at one KB version: the FAQ entries (BM25 over their phrasings,
 * a lexical scorer over phrasings and answers, and with an encoder an HNSW index over every phrasing's
 * embedding), the passages and FAQ answers the reader may read (BM25 + HNSW), and the texts needed
 * to answer without a database round trip. Mutations are synchronous, so a question never sees half
 * of a change.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Embedder } from '@wendao/encoder';
import { Bm25Index, HybridRetriever, VectorIndex } from '@wendao/retriever';
import { normalizeQuestion } from '@wendao/text';
import { eventLoopSlices } from './event-loop-slices';
import { LexicalFaqScorer, type LexicalQuery } from './lexical-faq-scorer';
import { withSynonyms } from './synonyms';
import { englishName, englishWord } from './typo-corrector';

export interface IndexedFaq {
  seq: number;
  id: string;
  documentId: string | null;
  question: string;
  alternates: string[];
  answer: string;
  /** One embedding per phrasing (question first, then alternates), when an encoder is loaded. */
  vectors?: Float32Array[];
  /**
   * The answer text's embedding (neural mode; absent for an empty answer): a question that matches
   * what an answer says, not how its question is put, still finds it (ANSWER_COSINE_WEIGHT).
   */
  answerVector?: Float32Array;
}

/** What KnowledgeIndex.embedFaqs gives for one entry: its phrasings' and its answer's embeddings. */
export interface FaqEmbedding {
  vectors: Float32Array[];
  answerVector?: Float32Array;
}

/** An FAQ entry found for a question, with the score that ranks it. */
export interface FaqCandidate {
  faq: IndexedFaq;
  /**
   * Confidence in [0, 1] that the entry answers the question: with vectors, the cosine between the
   * question and the entry's closest phrasing blended with the fused lexical score
   * (NEURAL_LEXICAL_WEIGHT) and the cosine of the entry's answer text (ANSWER_COSINE_WEIGHT); without,
   * the fused lexical score alone: the lexical score fused with the character BM25 (CHARACTER_WEIGHT).
   * A question that is one of the entry's phrasings word for word scores 1 in both modes.
   */
  score: number;
  /** Which phrasing matched best (0 = the question, then the alternates). */
  phrasing: number;
  /** The lexical score, also reported in neural mode. */
  lexical: number;
  /**
   * Character-unigram BM25 as a share (0..1) of what the question could score at most: part of
   * `score` through the fused lexical score (CHARACTER_WEIGHT).
   */
  bm25: number;
  /**
   * Whether the entry shares a word with the question (a character in Chinese), question-type words
   * (how long, how much) aside: neural mode only.
   */
  sharesWord?: boolean;
  /**
   * Cosine of the question with the closest phrasing (neural mode only); with the answer text's when
   * a leave-one-out probe left the entry's only phrasing out.
   */
  vector?: number;
}

export interface FaqSearchOptions {
  /** The question's embedding (neural mode). */
  vector?: Float32Array;
  /** Leave-one-out: this entry's phrasing does not count (calibration asks it as a new question). */
  exclude?: { seq: number; phrasing: number };
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
/** `score` ranks (RRF in hybrid mode, BM25 in lexical); `bm25` and `vector` are the lists' own scores. */
export type ReadablePassage = { score: number; bm25?: number; vector?: number } & (
  { kind: 'passage'; passage: IndexedPassage } | { kind: 'faq'; faq: IndexedFaq }
);

export interface KnowledgeIndexManifest {
  formatVersion: number;
  kbId: string;
  kbVersion: number;
  /** The encoder whose vectors are inside, or null for a lexical-only index. */
  modelId: string | null;
  faqs: number;
  passages: number;
  savedAt: string;
  /** sha256 of each saved file but the vectors (which carry their own header check), verified at load. */
  checksums: Record<string, string>;
}

/** The saved files a checksum covers. */
const CHECKED_FILES = ['items.json', 'faq-bm25.json', 'passage-bm25.json'];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A saved file whose bytes are not what was saved (edited, truncated): load refuses it. */
async function checkedRead(
  dir: string,
  name: string,
  manifest: KnowledgeIndexManifest,
  pause: () => Promise<void>,
): Promise<string> {
  const text = await readFile(join(dir, name), 'utf8');
  if (manifest.checksums?.[name] !== (await sha256InSlices(text, pause)))
    throw new Error(`${name} does not match its checksum`);
  return text;
}

/** sha256 in 1 MiB pieces with `pause` between them: a large KB's files are tens of MB. */
async function sha256InSlices(text: string, pause: () => Promise<void>): Promise<string> {
  const hash = createHash('sha256');
  for (let i = 0; i < text.length; i += 1 << 20) {
    hash.update(text.slice(i, i + (1 << 20)));
    await pause();
  }
  return hash.digest('hex');
}

// 2: the FAQ BM25 indexes phrasings with their synonym heads. 3: FAQ answers' embeddings.
const FORMAT_VERSION = 3;
/**
 * Up to this many FAQ entries every entry is scored; beyond, BM25 and HNSW pick the candidates (the
 * FAQ BM25's top 30, the answer texts' top 30, the entries of the 60 nearest phrasings). It was 500
 * until 2026-12-06: at 50 the `eval faq-sets` records of StackFAQ, BANKING77 and CLINC150 (125, 77
 * and 150 entries), lexical and with multilingual-e5-small, came out identical, their calibrations
 * ran 3-8x (lexical) and 1.7-3.8x (e5, BANKING77 and CLINC150) faster, and the FAQ search of the API
 * bench's 200-entry KB costs less than half (docs/benchmarks.md, "FAQ search").
 */
const SCORE_ALL_UP_TO = 50;
/**
 * Every entry is scored too while the KB's passages outnumber its entries this many times: the
 * answer texts' candidates come from a BM25 search over every passage filtered to FAQ answers, which
 * cannot prune, so on a KB of 200 entries and 20,000 document passages it cost more than scoring the
 * 200 (API bench, lexical 20k-passage KB: server p50 per FAQ-hit ask 1.5 -> 2.7 ms with the
 * candidates). Scoring an entry costs ~2 µs here, the filtered search ~0.06 µs per passage: 40.
 */
const SCORE_ALL_PASSAGES_PER_ENTRY = 40;
/**
 * Neural FAQ confidence = (cosine + w * fused lexical) / (1 + w), the fused lexical confidence being
 * lexical mode's own (fuseLexical: Dice + character BM25). Shop sets with multilingual-e5-small
 * (reference model), `wendao eval shop`, answered correctly / wrong: with the Dice score alone at w
 * 0.2, zh-dev 64.5 / 4.5, en-dev 32.5 / 1.8; fused at 0.4, 67.3 / 2.7, 45.6 / 2.6 (held-out zh-test
 * 67.6 / 2.7 -> 83.8 / 7.2, en-test 50.0 / 3.5 -> 44.7 / 2.6, where the calibrated margin rose). 0.4
 * is the weight with the most right answers on the dev sets that keeps zh-dev under 5 % wrong (0.25:
 * 72.7 / 3.6, 35.1 / 2.6; 0.3: 69.1 / 2.7, 38.6 / 2.6; 0.35: 67.3 / 2.7, 39.5 / 2.6; 0.45: 70.0 /
 * 6.4, 44.7 / 2.6). Top-1 of the right entry barely moves with it (Dice 0.2: 84.5 / 74.6, fused 0.4:
 * 90.0 / 73.7): the weight mostly spreads the scores the margin is chosen on. Rescaling the
 * compressed e5 cosines first (min-max against the KB's cosines between entries) gained nothing.
 */
const NEURAL_LEXICAL_WEIGHT = 0.4;
/**
 * Weight of the cosine between the question and the entry's answer text in the neural blend (an entry
 * with no answer embedding is scored without it): customers often ask what an answer says rather
 * than how its question is put. Shop sets with multilingual-e5-small, `wendao eval shop`, answered
 * correctly / wrong, weight 0 -> 0.8 (chosen: most right answers on zh-dev + en-dev with zh-dev
 * under 5 % wrong; 0.2: 73.6 / 3.6, 45.6 / 2.6; 0.4: 74.5 / 3.6, 50.0 / 2.6; 0.6: 71.8 / 4.5,
 * 53.5 / 1.8; 1.0: 77.3 / 4.5, 50.9 / 2.6): zh-dev 65.5 / 2.7 -> 78.2 / 3.6, en-dev 44.7 / 2.6 ->
 * 53.5 / 2.6; held-out zh-test 80.2 / 4.5 -> 84.7 / 5.4, en-test 45.6 / 2.6 -> 51.8 / 1.8.
 */
const ANSWER_COSINE_WEIGHT = 0.8;
const blend = (cosine: number, fusedLexical: number, answerCosine?: number) =>
  answerCosine === undefined
    ? clamp01((cosine + NEURAL_LEXICAL_WEIGHT * fusedLexical) / (1 + NEURAL_LEXICAL_WEIGHT))
    : clamp01(
        (cosine + NEURAL_LEXICAL_WEIGHT * fusedLexical + ANSWER_COSINE_WEIGHT * answerCosine) /
          (1 + NEURAL_LEXICAL_WEIGHT + ANSWER_COSINE_WEIGHT),
      );
const FAQ_CANDIDATES = 30;
/**
 * Lexical FAQ confidence = (Dice + CHARACTER_WEIGHT x character BM25) / (1 + CHARACTER_WEIGHT): the
 * character channel ranks colloquial Chinese paraphrases better than words do (shop sets, top-1 of
 * the right entry by Dice alone -> fused: zh-dev 79.1 -> 84.5, zh-test 76.6 -> 83.8, en-dev 64.0 ->
 * 64.9, en-test 66.7 -> 68.4; plain word BM25 76.4 / 76.6 / 63.2 / 64.9). It entered the confidence
 * once calibration stopped asking for an absolute score that keeps the target precision (unstable
 * under the fused score from KB to KB) and decides by the margin to the runner-up instead
 * (threshold-calibrator.ts). Neural mode blends the cosine with this fused confidence too.
 */
const CHARACTER_WEIGHT = 1.5;
const fuseLexical = (dice: number, characters: number) =>
  clamp01((dice + CHARACTER_WEIGHT * characters) / (1 + CHARACTER_WEIGHT));

function faqPhrasings(faq: Pick<IndexedFaq, 'question' | 'alternates'>): string[] {
  return [faq.question, ...faq.alternates];
}

function toBase64(vector: Float32Array): string {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64');
}

/** An FAQ entry as items.json holds it: its vectors in base64. */
function savedFaq(faq: IndexedFaq) {
  return {
    ...faq,
    vectors: faq.vectors?.map(toBase64),
    answerVector: faq.answerVector && toBase64(faq.answerVector),
  };
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
  private readonly lexical = new LexicalFaqScorer();
  /** HNSW over every FAQ phrasing's embedding (neural mode); ids from `phrasingIds`. */
  private readonly faqVectors?: VectorIndex;
  private readonly phrasingOwner = new Map<number, { seq: number; phrasing: number }>();
  private readonly phrasingIds = new Map<number, number[]>();
  private nextPhrasingId = 1;

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
    this.faqVectors = embedder
      ? new VectorIndex({ dim: embedder.dim, space: 'cosine', modelId: embedder.modelId })
      : undefined;
    this.retriever = new HybridRetriever({
      bm25: this.passageBm25,
      vector: this.vectors,
      embedder: this.vectors ? embedder : undefined,
    });
  }

  static empty(kbId: string, version: number, embedder?: Embedder): KnowledgeIndex {
    return new KnowledgeIndex(kbId, version, embedder);
  }

  /**
   * Embeds every FAQ's phrasings and (non-empty) answer in batches; one FaqEmbedding per FAQ, in order.
   */
  static async embedFaqs(
    embedder: Embedder,
    faqs: Pick<IndexedFaq, 'question' | 'alternates' | 'answer'>[],
    batchSize = 64,
  ): Promise<FaqEmbedding[]> {
    const texts = faqs.flatMap((faq) => [...faqPhrasings(faq), ...(faq.answer.trim() ? [faq.answer] : [])]);
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += batchSize)
      vectors.push(...(await embedder.embed(texts.slice(i, i + batchSize))).vectors);
    let next = 0;
    return faqs.map((faq) => {
      const phrasings = vectors.slice(next, next + 1 + faq.alternates.length);
      next += phrasings.length;
      const answerVector = faq.answer.trim() ? vectors[next++] : undefined;
      return { vectors: phrasings, ...(answerVector ? { answerVector } : {}) };
    });
  }

  /**
   * Loads the tokenizers' dictionaries (jieba) and typo tolerance's English word and name lists now
   * rather than on the first question.
   */
  static async warmUpAnalyzers(): Promise<void> {
    englishWord('warm');
    englishName('warm');
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

  /**
   * Does the KB use this word anywhere (an FAQ phrasing or answer, a passage)? A Chinese word counts
   * when each of its character pairs occurs (segmentation differs with context, pairs do not); an
   * English one by its stem. A word the KB never uses names a subject it does not cover.
   */
  mentions(word: string): boolean {
    const wanted = this.wordTerms(word);
    return (
      wanted.length > 0 &&
      wanted.every((t) => this.faqBm25.documentFrequency(t) > 0 || this.passageBm25.documentFrequency(t) > 0)
    );
  }

  /** The terms a word is looked up by: a Chinese word's character pairs, else its stems. */
  private wordTerms(word: string): string[] {
    const terms = this.faqBm25.analyzer.analyze(word);
    const pairs = terms.filter((t) => t.startsWith('b:'));
    return pairs.length ? pairs : terms.filter((t) => !t.includes(':'));
  }

  /**
   * The question's words (numbers left out) that an FAQ entry's phrasings and answer never use, a
   * synonym of theirs counting as used: 退货 in 退货期限是多久？ against 多久发货？ (下单后48小时内发货). A
   * Chinese word counts as used when each of its character pairs occurs (segmentation differs with
   * context, pairs do not).
   */
  wordsMissingFrom(question: string, faq: Pick<IndexedFaq, 'question' | 'alternates' | 'answer'>): string[] {
    const analyzer = this.faqBm25.analyzer;
    const text = [faq.question, ...faq.alternates, faq.answer].join('\n');
    const used = new Set(analyzer.analyze(withSynonyms(text)));
    const words = analyzer.analyze(question).filter((t) => !t.includes(':') && !/^\d/.test(t));
    return [...new Set(words)].filter((word) => {
      const own = analyzer.analyze(withSynonyms(word));
      if (own.some((t) => !t.includes(':') && used.has(t))) return false;
      const pairs = analyzer.analyze(word).filter((t) => t.startsWith('b:'));
      return !(pairs.length > 0 && pairs.every((p) => used.has(p)));
    });
  }

  /**
   * Does a document use this word while no FAQ entry does, in a phrasing or its answer (compared as
   * `mentions` compares)? Such a word names a subject only the documents cover.
   */
  onlyDocumentsMention(word: string): boolean {
    const wanted = this.wordTerms(word);
    return (
      wanted.length > 0 &&
      wanted.every((t) => this.passageBm25.documentFrequency(t) > 0) &&
      !wanted.every((t) => this.lexical.usesTerm(t))
    );
  }

  upsertFaq(faq: IndexedFaq): void {
    if (this.faqs.has(faq.seq)) this.removeFaq(faq.seq);
    if (this.faqVectors && (faq.vectors?.length ?? 0) !== faqPhrasings(faq).length)
      throw new Error(`FAQ ${faq.id} needs one embedding per phrasing`);
    this.faqs.set(faq.seq, faq);
    this.faqBm25.add(faq.seq, faqPhrasings(faq).map(withSynonyms).join('\n'));
    this.passageBm25.add(faq.seq, faq.answer);
    this.lexical.upsert(faq.seq, faq);
    this.indexPhrasingVectors(faq);
  }

  removeFaq(seq: number): boolean {
    if (!this.faqs.delete(seq)) return false;
    this.faqBm25.remove(seq);
    this.passageBm25.remove(seq);
    this.lexical.remove(seq);
    for (const id of this.phrasingIds.get(seq) ?? []) {
      this.faqVectors?.remove(id);
      this.phrasingOwner.delete(id);
    }
    this.phrasingIds.delete(seq);
    return true;
  }

  private indexPhrasingVectors(faq: IndexedFaq): void {
    if (!this.faqVectors || !faq.vectors) return;
    const ids = faq.vectors.map((vector, phrasing) => {
      const id = this.nextPhrasingId++;
      this.faqVectors!.upsert(id, vector);
      this.phrasingOwner.set(id, { seq: faq.seq, phrasing });
      return id;
    });
    this.phrasingIds.set(faq.seq, ids);
  }

  /** Adds a passage; `vector` is required when the index holds vectors. */
  addPassage(passage: IndexedPassage, vector?: Float32Array): void {
    if (this.vectors && !vector) throw new Error(`passage ${passage.id} has no embedding`);
    this.passages.set(passage.seq, passage);
    this.passageBm25.add(passage.seq, passage.text);
    if (this.vectors && vector) this.vectors.upsert(passage.seq, vector);
  }

  /** Drops one passage (catching up with PostgreSQL, where its document is gone); false when absent. */
  removePassage(seq: number): boolean {
    if (!this.passages.delete(seq)) return false;
    this.passageBm25.remove(seq);
    this.vectors?.remove(seq);
    return true;
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

  /** The question's lexical terms and weights; pass them to `searchFaqs` for several searches. */
  faqQuery(question: string): LexicalQuery {
    return this.lexical.weigh(question);
  }

  /**
   * The FAQ entries most likely to answer a question, best first, each with its confidence. Small KBs
   * score every entry; large ones score the BM25 hits over phrasings, the FAQ answers BM25 finds and
   * (with a vector) the entries of the nearest phrasings.
   */
  searchFaqs(question: string | LexicalQuery, k: number, options: FaqSearchOptions = {}): FaqCandidate[] {
    const terms = typeof question === 'string' ? this.faqQuery(question) : question;
    const { vector, exclude } = options;
    const cosines = vector ? this.phrasingCosines(vector, exclude) : undefined;
    let seqs: Iterable<number>;
    if (
      this.faqs.size <= SCORE_ALL_UP_TO ||
      this.faqs.size * SCORE_ALL_PASSAGES_PER_ENTRY <= this.passageBm25.size
    )
      seqs = this.faqs.keys();
    else {
      // With its typos corrected, so that BM25 finds the entries the corrected words name.
      const text =
        terms.corrected ?? (typeof question === 'string' ? question : [...terms.terms.keys()].join(' '));
      const picked = new Set<number>();
      for (const hit of this.faqBm25.search(withSynonyms(text), FAQ_CANDIDATES)) picked.add(hit.id);
      for (const hit of this.passageBm25.search(text, FAQ_CANDIDATES, { filter: (id) => this.faqs.has(id) }))
        picked.add(hit.id);
      for (const seq of cosines?.keys() ?? []) picked.add(seq);
      seqs = picked;
    }
    const out: FaqCandidate[] = [];
    for (const seq of seqs) {
      const lexical = this.lexical.score(terms, seq, exclude?.seq === seq ? exclude.phrasing : undefined);
      if (!lexical) continue;
      const faq = this.faqs.get(seq)!;
      const cosine = cosines?.get(seq);
      if (cosines) {
        // Neural mode: an entry outside the nearest phrasings is scored by its exact cosine. One whose
        // only phrasing a leave-one-out probe left out is matched by its answer text alone (the answer
        // cosine stands in for the phrasing's), as lexical mode matches it by answer coverage.
        const answerCosine = faq.answerVector && dot(vector!, faq.answerVector);
        const nearest = cosine ??
          this.bestCosine(vector!, faq, exclude?.seq === seq ? exclude.phrasing : undefined) ?? {
            score: answerCosine ?? 0,
            phrasing: 0,
          };
        const characters = this.lexical.characterScore(
          terms,
          seq,
          exclude?.seq === seq ? exclude.phrasing : undefined,
        );
        out.push({
          faq,
          // As in lexical mode, a question that is one of the entry's phrasings word for word is a
          // certain match (whatever its answer's cosine).
          score: lexical.exactPhrasing
            ? 1
            : blend(nearest.score, fuseLexical(lexical.confidence, characters), answerCosine),
          phrasing: nearest.phrasing,
          lexical: lexical.confidence,
          bm25: characters,
          sharesWord:
            characters > 0 &&
            this.lexical.sharesWord(terms, seq, exclude?.seq === seq ? exclude.phrasing : undefined),
          vector: nearest.score,
        });
      } else {
        const characters = this.lexical.characterScore(
          terms,
          seq,
          exclude?.seq === seq ? exclude.phrasing : undefined,
        );
        out.push({
          faq,
          // A question that is one of the entry's phrasings, word for word, is a certain match.
          score: lexical.exactPhrasing ? 1 : fuseLexical(lexical.confidence, characters),
          phrasing: lexical.phrasing,
          lexical: lexical.confidence,
          bm25: characters,
        });
      }
    }
    out.sort((a, b) => b.score - a.score || a.faq.seq - b.faq.seq);
    // One candidate per question, the best-scoring entry (the earliest on a tie): entries asking the
    // same question (a row repeated in an upload, an entry added twice) would otherwise be a close
    // call between themselves ("发票怎么开，还是发票怎么开？"), or let a document answer instead.
    const questions = new Set<string>();
    const distinct: FaqCandidate[] = [];
    for (const candidate of out) {
      if (distinct.length === k) break;
      const key = normalizeQuestion(candidate.faq.question);
      if (questions.has(key)) continue;
      questions.add(key);
      distinct.push(candidate);
    }
    return distinct;
  }

  /** Best cosine per FAQ among the nearest phrasings (vectors are L2-normalised: cosine = 1 - distance). */
  private phrasingCosines(
    vector: Float32Array,
    exclude?: { seq: number; phrasing: number },
  ): Map<number, { score: number; phrasing: number }> {
    const best = new Map<number, { score: number; phrasing: number }>();
    if (!this.faqVectors || this.faqVectors.size === 0) return best;
    const k = Math.min(this.faqVectors.size, FAQ_CANDIDATES * 2);
    for (const hit of this.faqVectors.search(vector, k)) {
      const owner = this.phrasingOwner.get(hit.id);
      if (!owner || (exclude && owner.seq === exclude.seq && owner.phrasing === exclude.phrasing)) continue;
      const score = hit.score;
      const seen = best.get(owner.seq);
      if (!seen || score > seen.score) best.set(owner.seq, { score, phrasing: owner.phrasing });
    }
    return best;
  }

  /** The entry's closest phrasing by exact cosine, `skip` left out; null when no phrasing is left. */
  private bestCosine(
    vector: Float32Array,
    faq: IndexedFaq,
    skip?: number,
  ): { score: number; phrasing: number } | null {
    let best: { score: number; phrasing: number } | null = null;
    (faq.vectors ?? []).forEach((v, i) => {
      if (i === skip) return;
      const score = dot(v, vector);
      if (!best || score > best.score) best = { score, phrasing: i };
    });
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
      const scores = { score: hit.score, bm25: hit.bm25Score, vector: hit.vectorScore };
      const passage = this.passages.get(hit.id);
      if (passage) out.push({ kind: 'passage', passage, ...scores });
      else {
        const faq = this.faqs.get(hit.id);
        if (faq) out.push({ kind: 'faq', faq, ...scores });
      }
    }
    return out;
  }

  /** What `save` and `saveInSlices` write in manifest.json, the checksums still to be filled in. */
  private manifest(): KnowledgeIndexManifest {
    return {
      formatVersion: FORMAT_VERSION,
      kbId: this.kbId,
      kbVersion: this.version,
      modelId: this.modelId,
      faqs: this.faqs.size,
      passages: this.passages.size,
      savedAt: new Date().toISOString(),
      checksums: {},
    };
  }

  /** Writes the index under `dir` (atomically: a temp folder renamed into place). */
  save(dir: string): KnowledgeIndexManifest {
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const manifest = this.manifest();
    const items = {
      faqs: [...this.faqs.values()].map(savedFaq),
      passages: [...this.passages.values()],
    };
    const files: Record<string, string> = {
      'items.json': JSON.stringify(items),
      'faq-bm25.json': JSON.stringify(this.faqBm25.toJSON()),
      'passage-bm25.json': JSON.stringify(this.passageBm25.toJSON()),
    };
    for (const name of CHECKED_FILES) {
      writeFileSync(join(tmp, name), files[name]);
      manifest.checksums[name] = sha256(files[name]);
    }
    if (this.vectors) this.vectors.save(join(tmp, 'vectors'), { kbVersion: this.version });
    writeFileSync(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(dir, '..'), { recursive: true });
    renameSync(tmp, dir);
    return manifest;
  }

  /**
   * `save` in slices that yield to the event loop (`pause`), with the files written off the main
   * thread: saving an 84k-entry KB in one step stalled every ask of the process for ~3 s (2-core
   * EPYC, bench/big-kb.bench.ts). What is saved is taken in one synchronous step first (the entries,
   * the BM25 snapshots, the vectors), so a change applied between slices is not half in the files.
   * The files are byte for byte what `save` writes.
   */
  async saveInSlices(
    dir: string,
    pause: () => Promise<void> = eventLoopSlices(),
  ): Promise<KnowledgeIndexManifest> {
    // Nothing awaits before the vectors are saved: all of it is this version's.
    const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const manifest = this.manifest();
    // Entries are replaced on change, never mutated: holding them holds this version's.
    const items = { faqs: [...this.faqs.values()], passages: [...this.passages.values()] };
    const faqBm25 = this.faqBm25.toJSON();
    const passageBm25 = this.passageBm25.toJSON();
    if (this.vectors) this.vectors.save(join(tmp, 'vectors'), { kbVersion: this.version });
    const files: Record<string, string> = {
      'items.json': await jsonInSlices(items, pause, (key, item) =>
        key === 'faqs' ? savedFaq(item as IndexedFaq) : item,
      ),
      'faq-bm25.json': await jsonInSlices(faqBm25, pause),
      'passage-bm25.json': await jsonInSlices(passageBm25, pause),
    };
    for (const name of CHECKED_FILES) {
      await writeFile(join(tmp, name), files[name]);
      manifest.checksums[name] = await sha256InSlices(files[name], pause);
    }
    await writeFile(join(tmp, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await rm(dir, { recursive: true, force: true });
    await mkdir(join(dir, '..'), { recursive: true });
    await rename(tmp, dir);
    return manifest;
  }

  /**
   * Loads a saved index if it was saved for exactly this KB version and encoder; null when it is
   * missing, stale or unreadable (the caller then rebuilds from PostgreSQL). With `allowOlder`, an
   * index saved at an older version of the KB loads too, at its own version (the caller then brings
   * it up to date from PostgreSQL); the counts are only checked at the expected version. The FAQ
   * entries' lexical structures are rebuilt in slices (`pause`, default: yield every 10 ms): on an
   * 84k-entry KB that is tens of seconds of CPU that must not stall the event loop.
   */
  static async load(
    dir: string,
    expected: {
      kbId: string;
      kbVersion: number;
      embedder?: Embedder;
      /** Items PostgreSQL holds for the KB: a saved index holding other counts is refused (throws). */
      counts?: { faqs: number; passages: number };
      allowOlder?: boolean;
    },
    pause: () => Promise<void> = eventLoopSlices(),
  ): Promise<KnowledgeIndex | null> {
    const manifestPath = join(dir, 'manifest.json');
    if (!existsSync(manifestPath)) return null;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as KnowledgeIndexManifest;
    const modelId = expected.embedder?.modelId ?? null;
    if (
      manifest.formatVersion !== FORMAT_VERSION ||
      manifest.kbId !== expected.kbId ||
      manifest.kbVersion > expected.kbVersion ||
      (manifest.kbVersion < expected.kbVersion && !expected.allowOlder) ||
      manifest.modelId !== modelId
    )
      return null;
    const version = manifest.kbVersion;
    // Integrity before use: the files are the ones saved, and they hold what PostgreSQL holds.
    const files: Record<string, string> = {};
    for (const name of CHECKED_FILES) files[name] = await checkedRead(dir, name, manifest, pause);
    if (
      expected.counts &&
      version === expected.kbVersion &&
      (expected.counts.faqs !== manifest.faqs || expected.counts.passages !== manifest.passages)
    )
      throw new Error(
        `it holds ${manifest.faqs} FAQ entries and ${manifest.passages} passages, PostgreSQL ${expected.counts.faqs} and ${expected.counts.passages}`,
      );
    const vectors = expected.embedder
      ? VectorIndex.load(join(dir, 'vectors'), {
          dim: expected.embedder.dim,
          modelId: expected.embedder.modelId,
          kbVersion: version,
        })
      : undefined;
    const index = new KnowledgeIndex(expected.kbId, version, expected.embedder, {
      faqBm25: Bm25Index.fromJSON(JSON.parse(files['faq-bm25.json'])),
      passageBm25: await pause().then(() => Bm25Index.fromJSON(JSON.parse(files['passage-bm25.json']))),
      vectors,
    });
    await pause();
    const items = JSON.parse(files['items.json']) as {
      faqs: (Omit<IndexedFaq, 'vectors' | 'answerVector'> & { vectors?: string[]; answerVector?: string })[];
      passages: IndexedPassage[];
    };
    for (const saved of items.faqs) {
      // The BM25 indexes come from their snapshots; the lexical scorer and the phrasing HNSW are rebuilt.
      const faq: IndexedFaq = {
        ...saved,
        vectors: saved.vectors?.map(fromBase64),
        answerVector: saved.answerVector === undefined ? undefined : fromBase64(saved.answerVector),
      };
      index.faqs.set(faq.seq, faq);
      index.lexical.upsert(faq.seq, faq);
      index.indexPhrasingVectors(faq);
      await pause();
    }
    for (const passage of items.passages) index.passages.set(passage.seq, passage);
    if (index.faqs.size !== manifest.faqs || index.passages.size !== manifest.passages)
      throw new Error('its items do not match the counts in its manifest');
    return index;
  }
}

/**
 * JSON.stringify(value) of an object whose large members are arrays, built element by element with
 * `pause` between them (the same text: keys in order, undefined members left out, as JSON.stringify
 * does). `element` maps each array element first.
 */
async function jsonInSlices(
  value: object,
  pause: () => Promise<void>,
  element: (key: string, item: unknown) => unknown = (_key, item) => item,
): Promise<string> {
  const members: string[] = [];
  for (const [key, member] of Object.entries(value)) {
    if (member === undefined || typeof member === 'function') continue;
    if (!Array.isArray(member)) {
      members.push(`${JSON.stringify(key)}:${JSON.stringify(member)}`);
      continue;
    }
    const parts: string[] = [];
    for (const item of member) {
      parts.push(JSON.stringify(element(key, item)) ?? 'null');
      await pause();
    }
    members.push(`${JSON.stringify(key)}:[${parts.join(',')}]`);
  }
  return `{${members.join(',')}}`;
}

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

/** Cosine of two L2-normalised embeddings. */
function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export { faqPhrasings };
