/**
 * Okapi BM25 over mixed Chinese/English text with an inverted index (postings per term), so a query
 * touches only the documents that share a term with it. Documents can be added, updated and removed
 * at any time; corpus statistics (df, average length) follow immediately, and dead postings are
 * compacted away once they outnumber live documents.
 */
import type { IdFilter, ScoredId } from './scored-id';
import { TextAnalyzer } from './text-analyzer';

export interface Bm25Options {
  /** Term-frequency saturation (default 1.2). */
  k1?: number;
  /** Length normalisation, 0..1 (default 0.75). */
  b?: number;
  analyzer?: TextAnalyzer;
}

export interface Bm25SearchOptions {
  filter?: IdFilter;
  /**
   * MaxScore pruning (default on; off when a filter is given). The results are identical either
   * way; turning it off exists to check exactly that.
   */
  prune?: boolean;
}

export interface Bm25Hit extends ScoredId {
  /**
   * Share (0..1) of the query's IDF-weighted terms that this document contains: 1 means every
   * informative query term occurs in it. Unlike the raw score it is comparable across queries.
   */
  coverage: number;
}

/** The persisted form: vocabulary plus, per document, `[id, termIndex, tf, termIndex, tf, ...]`. */
export interface Bm25Snapshot {
  format: 'wendao-bm25';
  version: number;
  analyzerVersion: number;
  k1: number;
  b: number;
  terms: string[];
  docs: number[][];
}

const SNAPSHOT_VERSION = 1;

/**
 * A snapshot saved by another build (its format or its analyzer changed since): nothing is wrong
 * with it, it is only of no use to this one; rebuild from the source texts.
 */
export class OutdatedSnapshotError extends Error {
  override readonly name = 'OutdatedSnapshotError';
}
const MAX_TF = 0xffff;
/** Shared placeholder for terms without postings; replaced (never mutated) on first use. */
const NO_POSTINGS: number[] = Object.freeze([]) as unknown as number[];

export class Bm25Index {
  readonly k1: number;
  readonly b: number;
  readonly analyzer: TextAnalyzer;

  private readonly termIds = new Map<string, number>();
  private termText: string[] = [];
  /** Live documents containing each term. */
  private df: number[] = [];
  /**
   * Per term, interleaved `[slot, tf, slot, tf, ...]`. Plain small-integer arrays, not typed arrays:
   * most terms (rare bigrams) occur in one or two documents, and a typed array's fixed overhead
   * (~300 bytes) would dominate memory on a large corpus.
   */
  private postings: number[][] = [];

  // Documents live in "slots": an update gets a fresh slot, so stale postings of the old text can be
  // recognised (dead slot) without rewriting every postings list on each edit.
  private slotId: number[] = [];
  private slotLength: number[] = [];
  /**
   * The forward index: per slot, interleaved `[termId, tf, ...]` (needed to undo df on removal and
   * to snapshot); null once the document is removed. A Uint32Array is half the size of a JS array here.
   */
  private slotTerms: Array<Uint32Array | null> = [];
  private alive = new Uint8Array(64);
  private readonly idToSlot = new Map<number, number>();
  private totalLength = 0;
  private deadSlots = 0;

  private scores = new Float64Array(0);
  private matched = new Float64Array(0);

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    if (!(this.k1 >= 0)) throw new Error(`Bm25Index: k1 must be >= 0, got ${this.k1}`);
    if (!(this.b >= 0 && this.b <= 1)) throw new Error(`Bm25Index: b must be within 0..1, got ${this.b}`);
    this.analyzer = options.analyzer ?? new TextAnalyzer({ keepChineseStopwords: true });
  }

  /** Number of indexed documents. */
  get size(): number {
    return this.idToSlot.size;
  }

  /** Distinct terms with at least one live document. */
  get vocabularySize(): number {
    let n = 0;
    for (const d of this.df) if (d > 0) n++;
    return n;
  }

  has(id: number): boolean {
    return this.idToSlot.has(id);
  }

  /** How many live documents hold `term` (an analyzed term: "ship", "b:运费", "c:退"). */
  documentFrequency(term: string): number {
    const tid = this.termIds.get(term);
    return tid === undefined ? 0 : this.df[tid];
  }

  ids(): number[] {
    return [...this.idToSlot.keys()];
  }

  /** Indexes a new document; an id that is already present is a caller bug (use `update`). */
  add(id: number, text: string): void {
    this.checkId(id);
    if (this.idToSlot.has(id))
      throw new Error(`Bm25Index: id ${id} is already indexed; use update to replace it`);
    if (typeof text !== 'string') throw new Error(`Bm25Index: text for id ${id} must be a string`);
    const counts = new Map<number, number>();
    for (const term of this.analyzer.analyze(text)) {
      const tid = this.termId(term);
      counts.set(tid, (counts.get(tid) ?? 0) + 1);
    }
    const pairs = new Uint32Array(counts.size * 2);
    let i = 0;
    for (const [tid, count] of counts) {
      pairs[i++] = tid;
      pairs[i++] = Math.min(count, MAX_TF);
    }
    this.insert(id, pairs);
  }

  /** Replaces the text of `id` (or adds it when absent). */
  update(id: number, text: string): void {
    this.remove(id);
    this.add(id, text);
  }

  /** Removes `id`; returns false when it was not indexed. */
  remove(id: number): boolean {
    const slot = this.idToSlot.get(id);
    if (slot === undefined) return false;
    const terms = this.slotTerms[slot]!;
    for (let i = 0; i < terms.length; i += 2) this.df[terms[i]]--;
    this.totalLength -= this.slotLength[slot];
    this.alive[slot] = 0;
    this.slotTerms[slot] = null;
    this.idToSlot.delete(id);
    this.deadSlots++;
    if (this.deadSlots > 1024 && this.deadSlots > this.idToSlot.size) this.compact();
    return true;
  }

  /** The k best documents for `query`, best first (ties by id). Empty when no query term is indexed. */
  search(query: string, k: number, options: Bm25SearchOptions = {}): Bm25Hit[] {
    if (typeof query !== 'string') throw new Error('Bm25Index: query must be a string');
    if (!Number.isInteger(k) || k < 0)
      throw new Error(`Bm25Index: k must be a non-negative integer, got ${k}`);
    const n = this.idToSlot.size;
    if (n === 0 || k === 0) return [];
    const queryTerms = new Map<string, number>();
    for (const term of this.analyzer.analyzeQuery(query))
      queryTerms.set(term, (queryTerms.get(term) ?? 0) + 1);
    if (queryTerms.size === 0) return [];

    const slotCount = this.slotId.length;
    if (this.scores.length < slotCount) {
      this.scores = new Float64Array(Math.max(slotCount, this.scores.length * 2));
      this.matched = new Float64Array(this.scores.length);
    }
    const { scores, matched, alive, slotLength, k1, b } = this;
    const avgLength = this.totalLength / n || 1;
    const terms: Array<{ postings: number[]; weight: number; bound: number; df: number }> = [];
    let queryWeight = 0;
    for (const [term, qtf] of queryTerms) {
      const tid = this.termIds.get(term);
      const df = tid === undefined ? 0 : this.df[tid];
      // Lucene's IDF: never negative, so a term in most documents still counts a little.
      const weight = Math.log(1 + (n - df + 0.5) / (df + 0.5)) * qtf;
      queryWeight += weight;
      // A term contributes at most weight * (k1 + 1), however often it occurs.
      if (tid !== undefined && df > 0)
        terms.push({ postings: this.postings[tid], weight, bound: weight * (k1 + 1), df });
    }
    // Rarest (highest-bound) terms first; the order also fixes the float summation order, so pruned
    // and exhaustive searches produce bit-identical scores. Ties go by live document frequency, not by
    // the postings' length, which counts dead postings until compaction: an edited index and one
    // restored from its snapshot must add in the same order.
    terms.sort((x, y) => y.bound - x.bound || x.df - y.df);
    const remaining = new Float64Array(terms.length + 1);
    for (let t = terms.length - 1; t >= 0; t--) remaining[t] = remaining[t + 1] + terms[t].bound;

    const touched: number[] = [];
    const termScore = (weight: number, tf: number, slot: number) =>
      (weight * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * slotLength[slot]) / avgLength));
    // MaxScore: once the terms still to come cannot lift an unseen document above the current k-th
    // best partial score, they only complete the scores of documents already seen.
    const prune = options.prune !== false && !options.filter;
    let t = 0;
    for (; t < terms.length; t++) {
      const { postings, weight } = terms[t];
      if (
        prune &&
        touched.length >= k &&
        postings.length > touched.length &&
        remaining[t] < kthLargest(scores, touched, k)
      )
        break;
      for (let i = 0; i < postings.length; i += 2) {
        const slot = postings[i];
        if (alive[slot] === 0) continue;
        if (scores[slot] === 0) touched.push(slot);
        scores[slot] += termScore(weight, postings[i + 1], slot);
        matched[slot] += weight;
      }
    }
    if (t < terms.length) {
      const seen = Int32Array.from(touched).sort();
      for (; t < terms.length; t++) {
        const { postings, weight } = terms[t];
        const entries = postings.length / 2;
        if (seen.length * 8 < entries) {
          // Postings are in slot order: gallop to each seen document instead of scanning the list.
          let lo = 0;
          for (const slot of seen) {
            lo = gallop(postings, entries, lo, slot);
            if (lo >= entries) break;
            if (postings[2 * lo] === slot) {
              scores[slot] += termScore(weight, postings[2 * lo + 1], slot);
              matched[slot] += weight;
            }
          }
        } else {
          for (let i = 0; i < postings.length; i += 2) {
            const slot = postings[i];
            if (scores[slot] === 0) continue; // unseen (or dead): cannot reach the top k any more
            scores[slot] += termScore(weight, postings[i + 1], slot);
            matched[slot] += weight;
          }
        }
      }
    }

    const best = new TopK(k);
    for (const slot of touched) {
      const id = this.slotId[slot];
      if (!options.filter || options.filter(id)) best.offer(id, scores[slot], matched[slot] / queryWeight);
      scores[slot] = 0;
      matched[slot] = 0;
    }
    return best.sorted();
  }

  toJSON(): Bm25Snapshot {
    const remap = new Map<number, number>();
    const terms: string[] = [];
    const docs: number[][] = [];
    for (const [id, slot] of this.idToSlot) {
      const pairs = this.slotTerms[slot]!;
      const row = [id];
      for (let i = 0; i < pairs.length; i += 2) {
        let t = remap.get(pairs[i]);
        if (t === undefined) {
          t = terms.length;
          remap.set(pairs[i], t);
          terms.push(this.termText[pairs[i]]);
        }
        row.push(t, pairs[i + 1]);
      }
      docs.push(row);
    }
    return {
      format: 'wendao-bm25',
      version: SNAPSHOT_VERSION,
      analyzerVersion: TextAnalyzer.VERSION,
      k1: this.k1,
      b: this.b,
      terms,
      docs,
    };
  }

  /**
   * Restores an index from `toJSON()` output. Refuses snapshots from another format or analyzer
   * version: their terms would not match what today's analyzer makes of a query.
   */
  static fromJSON(snapshot: Bm25Snapshot | string, options: Pick<Bm25Options, 'analyzer'> = {}): Bm25Index {
    const s = (typeof snapshot === 'string' ? JSON.parse(snapshot) : snapshot) as Bm25Snapshot;
    if (!s || s.format !== 'wendao-bm25')
      throw new Error(`Bm25Index.fromJSON: not a BM25 snapshot (format ${JSON.stringify(s?.format)})`);
    if (s.version !== SNAPSHOT_VERSION)
      throw new OutdatedSnapshotError(
        `Bm25Index.fromJSON: snapshot version ${s.version}, this build reads ${SNAPSHOT_VERSION}`,
      );
    if (s.analyzerVersion !== TextAnalyzer.VERSION)
      throw new OutdatedSnapshotError(
        `Bm25Index.fromJSON: snapshot made by analyzer version ${s.analyzerVersion}, current is ` +
          `${TextAnalyzer.VERSION}; rebuild the index from its source texts`,
      );
    if (!Array.isArray(s.terms) || !Array.isArray(s.docs))
      throw new Error('Bm25Index.fromJSON: snapshot lacks terms/docs arrays');
    const index = new Bm25Index({ k1: s.k1, b: s.b, analyzer: options.analyzer });
    const tids = s.terms.map((term) => index.termId(term));
    // seenIn[tid] = 1 + the row that last used the term, to catch a term listed twice in one row.
    const seenIn = new Int32Array(tids.length);
    s.docs.forEach((row, r) => {
      const id = row[0];
      index.checkId(id);
      if (index.idToSlot.has(id)) throw new Error(`Bm25Index.fromJSON: document ${id} appears twice`);
      if (row.length % 2 !== 1) throw new Error(`Bm25Index.fromJSON: document ${id} has an odd term/tf list`);
      const pairs = new Uint32Array(row.length - 1);
      for (let i = 1; i < row.length; i += 2) {
        const t = row[i];
        const tf = row[i + 1];
        if (tids[t] === undefined)
          throw new Error(`Bm25Index.fromJSON: document ${id} refers to unknown term ${t}`);
        if (seenIn[t] === r + 1) throw new Error(`Bm25Index.fromJSON: document ${id} lists term ${t} twice`);
        if (!Number.isInteger(tf) || tf < 1 || tf > MAX_TF)
          throw new Error(`Bm25Index.fromJSON: document ${id} has an invalid term frequency ${tf}`);
        seenIn[t] = r + 1;
        pairs[i - 1] = tids[t];
        pairs[i] = tf;
      }
      index.insert(id, pairs);
    });
    return index;
  }

  /** `pairs`: distinct term ids with their (clamped) frequencies, interleaved. */
  private insert(id: number, pairs: Uint32Array): void {
    const slot = this.slotId.length;
    let length = 0;
    for (let i = 0; i < pairs.length; i += 2) {
      const tid = pairs[i];
      const tf = pairs[i + 1];
      length += tf;
      this.df[tid]++;
      // A term's first posting gets an exact-size array: push() on an empty array reserves ~17 slots,
      // and most terms (rare bigrams) never get a second posting.
      const postings = this.postings[tid];
      if (postings.length === 0) this.postings[tid] = [slot, tf];
      else postings.push(slot, tf);
    }
    this.slotId.push(id);
    this.slotLength.push(length);
    this.slotTerms.push(pairs);
    if (slot >= this.alive.length) {
      const grown = new Uint8Array(this.alive.length * 2);
      grown.set(this.alive);
      this.alive = grown;
    }
    this.alive[slot] = 1;
    this.idToSlot.set(id, slot);
    this.totalLength += length;
  }

  private termId(term: string): number {
    let tid = this.termIds.get(term);
    if (tid === undefined) {
      tid = this.termText.length;
      this.termIds.set(term, tid);
      this.termText.push(term);
      this.df.push(0);
      this.postings.push(NO_POSTINGS);
    }
    return tid;
  }

  /** Renumbers live documents into dense slots and drops dead postings and unused terms' storage. */
  private compact(): void {
    const newSlot = new Int32Array(this.slotId.length).fill(-1);
    const slotId: number[] = [];
    const slotLength: number[] = [];
    const slotTerms: Array<Uint32Array | null> = [];
    for (let s = 0; s < this.slotId.length; s++) {
      if (this.alive[s] === 0) continue;
      newSlot[s] = slotId.length;
      slotId.push(this.slotId[s]);
      slotLength.push(this.slotLength[s]);
      slotTerms.push(this.slotTerms[s]);
    }
    this.postings.forEach((p, tid) => {
      let w = 0;
      for (let i = 0; i < p.length; i += 2) {
        const ns = newSlot[p[i]];
        if (ns < 0) continue;
        p[w++] = ns;
        p[w++] = p[i + 1];
      }
      if (w === 0) this.postings[tid] = NO_POSTINGS;
      else p.length = w;
    });
    this.slotId = slotId;
    this.slotLength = slotLength;
    this.slotTerms = slotTerms;
    this.alive = new Uint8Array(Math.max(64, slotId.length * 2));
    this.alive.fill(1, 0, slotId.length);
    this.idToSlot.clear();
    slotId.forEach((id, s) => this.idToSlot.set(id, s));
    this.deadSlots = 0;
  }

  private checkId(id: number): void {
    if (!Number.isSafeInteger(id)) throw new Error(`Bm25Index: id must be an integer, got ${id}`);
  }
}

/** The k-th largest of `scores[slot]` over `slots` (k <= slots.length), via a size-k min-heap. */
function kthLargest(scores: Float64Array, slots: number[], k: number): number {
  const heap = new Float64Array(k);
  let size = 0;
  for (const slot of slots) {
    const v = scores[slot];
    if (size < k) {
      let i = size++;
      heap[i] = v;
      while (i > 0 && heap[(i - 1) >> 1] > heap[i]) {
        const p = (i - 1) >> 1;
        [heap[p], heap[i]] = [heap[i], heap[p]];
        i = p;
      }
    } else if (v > heap[0]) {
      heap[0] = v;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < k && heap[l] < heap[m]) m = l;
        if (r < k && heap[r] < heap[m]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
  }
  return heap[0];
}

/** First entry index >= from whose slot is >= target, in `[slot, tf, ...]` postings sorted by slot. */
function gallop(postings: number[], entries: number, from: number, target: number): number {
  if (from >= entries || postings[2 * from] >= target) return from;
  let step = 1;
  let lo = from;
  while (lo + step < entries && postings[2 * (lo + step)] < target) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(lo + step, entries);
  // Invariant: postings[2 * lo] < target, and the answer lies in (lo, hi].
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (postings[2 * mid] < target) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Keeps the k best (score desc, id asc) with a binary min-heap, so selection is O(n log k). */
class TopK {
  private readonly heap: Bm25Hit[] = [];
  constructor(private readonly k: number) {}

  offer(id: number, score: number, coverage: number): void {
    const hit = { id, score, coverage };
    if (this.heap.length < this.k) {
      this.heap.push(hit);
      this.up(this.heap.length - 1);
    } else if (TopK.better(hit, this.heap[0])) {
      this.heap[0] = hit;
      this.down(0);
    }
  }

  sorted(): Bm25Hit[] {
    return this.heap.sort((a, b) => (TopK.better(a, b) ? -1 : 1));
  }

  private static better(a: Bm25Hit, b: Bm25Hit): boolean {
    return a.score > b.score || (a.score === b.score && a.id < b.id);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!TopK.better(h[parent], h[i])) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < h.length && TopK.better(h[worst], h[l])) worst = l;
      if (r < h.length && TopK.better(h[worst], h[r])) worst = r;
      if (worst === i) return;
      [h[worst], h[i]] = [h[i], h[worst]];
      i = worst;
    }
  }
}
