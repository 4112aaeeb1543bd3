/**
 * Retrieval evaluation: every text of every entry is indexed as its own document (an FAQ matches on
 * its question, alternates and answer), hits are collapsed to entries in rank order, and each query's
 * first gold entry gives Recall@k and MRR. Systems are compared on the same queries.
 */
import type { RetrievalSet } from '../datasets/retrieval-set';
import { firstRelevantRank, rankingMetrics, type RankingMetrics } from '../metrics/ranking-metrics';

/** One way of ranking documents: BM25, vectors, hybrid... Document ids are indexes into `EntryDocuments.texts`. */
export interface DocumentRanker {
  readonly name: string;
  /** Best-first document ids; `allow` filters document ids (used to hide a query's own sentence). */
  search(query: string, k: number, allow?: (docId: number) => boolean): Promise<number[]>;
}

/** The flat document view of a retrieval set. */
export interface EntryDocuments {
  texts: string[];
  /** Entry id of each document. */
  entryOf: string[];
  /** Most documents any one entry has: how deep to search to be sure of k distinct entries. */
  maxPerEntry: number;
}

export function entryDocuments(set: RetrievalSet): EntryDocuments {
  const texts: string[] = [];
  const entryOf: string[] = [];
  let maxPerEntry = 1;
  for (const entry of set.entries) {
    for (const text of entry.texts) {
      texts.push(text);
      entryOf.push(entry.id);
    }
    maxPerEntry = Math.max(maxPerEntry, entry.texts.length);
  }
  return { texts, entryOf, maxPerEntry };
}

export interface RetrievalEvalOptions {
  ks?: number[];
  /** Cap on documents fetched per query before collapsing to entries (default 1000). */
  maxDocuments?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface RetrievalSystemResult extends RankingMetrics {
  system: string;
  queriesPerSecond: number;
  /** The top entry of each query ('' when nothing was retrieved): the prediction when entries are intents. */
  top1: string[];
}

/** Ranks entries for one query: documents collapsed to their entries, first appearance wins. */
export async function rankEntries(
  ranker: DocumentRanker,
  docs: EntryDocuments,
  query: string,
  k: number,
  options: { exclude?: string; maxDocuments?: number } = {},
): Promise<string[]> {
  const depth = Math.min(docs.texts.length, k * docs.maxPerEntry + 1, options.maxDocuments ?? 1000);
  const allow = options.exclude ? (id: number) => docs.entryOf[id] !== options.exclude : undefined;
  const entries: string[] = [];
  const seen = new Set<string>();
  for (const docId of await ranker.search(query, depth, allow)) {
    const entry = docs.entryOf[docId];
    if (seen.has(entry)) continue;
    seen.add(entry);
    entries.push(entry);
    if (entries.length === k) break;
  }
  return entries;
}

export async function evaluateRetrieval(
  set: RetrievalSet,
  docs: EntryDocuments,
  rankers: readonly DocumentRanker[],
  options: RetrievalEvalOptions = {},
): Promise<RetrievalSystemResult[]> {
  if (set.queries.length === 0) throw new Error('evaluateRetrieval: the set has no queries');
  const ks = options.ks ?? [1, 5, 10];
  const depth = Math.max(...ks);
  const results: RetrievalSystemResult[] = [];
  for (const ranker of rankers) {
    const ranks: Array<number | null> = [];
    const top1: string[] = [];
    const started = process.hrtime.bigint();
    for (const query of set.queries) {
      const ranked = await rankEntries(ranker, docs, query.text, depth, {
        exclude: query.exclude,
        maxDocuments: options.maxDocuments,
      });
      ranks.push(firstRelevantRank(ranked, new Set(query.relevant)));
      top1.push(ranked[0] ?? '');
      options.onProgress?.(ranks.length, set.queries.length);
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    results.push({
      system: ranker.name,
      ...rankingMetrics(ranks, ks),
      queriesPerSecond: ranks.length / seconds,
      top1,
    });
  }
  return results;
}
