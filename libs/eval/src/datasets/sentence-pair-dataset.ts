/**
 * Labelled sentence pairs (LCQMC, BQ, PAWS-X TSV; AFQMC JSONL), and the retrieval view of them:
 * every sentence of the set is a KB entry, and each sentence with a positive partner is a query
 * whose gold is that partner ("find the paraphrase among all sentences").
 */
import { readFileSync } from 'node:fs';
import type { RetrievalSet } from './retrieval-set';

export interface SentencePair {
  a: string;
  b: string;
  positive: boolean;
}

function label(value: unknown, where: string): boolean {
  const text = String(value).trim();
  if (text === '1') return true;
  if (text === '0') return false;
  throw new Error(`${where}: label must be 0 or 1, got ${JSON.stringify(value)}`);
}

/** `a \t b \t label` lines without a header (LCQMC, BQ, PAWS-X). */
export function parsePairTsv(text: string, source = 'pair TSV'): SentencePair[] {
  const pairs: SentencePair[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const cols = line.split('\t');
    if (cols.length !== 3)
      throw new Error(`${source}:${i + 1}: expected 3 tab-separated columns, got ${cols.length}`);
    pairs.push({ a: cols[0].trim(), b: cols[1].trim(), positive: label(cols[2], `${source}:${i + 1}`) });
  });
  return pairs;
}

/** One JSON object per line with sentence1, sentence2, label (AFQMC as redistributed by CLUE). */
export function parsePairJsonl(text: string, source = 'pair JSONL'): SentencePair[] {
  const pairs: SentencePair[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const row = JSON.parse(line) as { sentence1?: string; sentence2?: string; label?: unknown };
    if (typeof row.sentence1 !== 'string' || typeof row.sentence2 !== 'string')
      throw new Error(`${source}:${i + 1}: needs sentence1 and sentence2`);
    pairs.push({
      a: row.sentence1.trim(),
      b: row.sentence2.trim(),
      positive: label(row.label, `${source}:${i + 1}`),
    });
  });
  return pairs;
}

export function loadSentencePairs(path: string): SentencePair[] {
  const text = readFileSync(path, 'utf8');
  return /\.jsonl?$/.test(path) ? parsePairJsonl(text, path) : parsePairTsv(text, path);
}

/** The retrieval view: distinct sentences are entries; each query's gold is its positive partners. */
export function pairsToRetrievalSet(pairs: readonly SentencePair[], language: 'zh' | 'en'): RetrievalSet {
  const ids = new Map<string, string>();
  const idOf = (text: string) => {
    let id = ids.get(text);
    if (!id) ids.set(text, (id = `s${ids.size}`));
    return id;
  };
  const partners = new Map<string, Set<string>>();
  for (const pair of pairs) {
    const a = idOf(pair.a);
    const b = idOf(pair.b);
    if (!pair.positive || a === b) continue;
    if (!partners.has(pair.a)) partners.set(pair.a, new Set());
    if (!partners.has(pair.b)) partners.set(pair.b, new Set());
    partners.get(pair.a)!.add(b);
    partners.get(pair.b)!.add(a);
  }
  return {
    entries: [...ids].map(([text, id]) => ({ id, texts: [text] })),
    queries: [...partners].map(([text, gold]) => ({ text, relevant: [...gold], exclude: ids.get(text) })),
    language,
  };
}
