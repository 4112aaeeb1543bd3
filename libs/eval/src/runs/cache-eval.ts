/**
 * The answer cache claim, measured: a query log replayed with a Zipf repeat distribution (a few
 * questions asked very often, a long tail asked once), answered with and without an LRU cache keyed
 * by the normalised question. Surface variants (case, full-width, trailing punctuation) are mixed in
 * so the key normalisation is exercised the way real users exercise it.
 */
import { LRUCache } from 'lru-cache';
import { normalizeQuestion } from '@wendao/text';
import { seededRandom } from '../datasets/seeded-random';

export interface ZipfLogOptions {
  /** Zipf exponent s: P(rank r) proportional to 1 / r^s (default 1.0, typical of query logs). */
  exponent?: number;
  /** Share of draws rewritten as a surface variant of the question (default 0.3). */
  variantShare?: number;
  seed?: number;
}

function surfaceVariant(question: string, random: () => number): string {
  const pick = Math.floor(random() * 4);
  if (pick === 0) return question.toUpperCase();
  if (pick === 1) return `  ${question.replace(/[?？.。!！]+$/u, '')}？`;
  if (pick === 2) return question.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  return question.replace(/[?？.。!！]+$/u, '') + ' ';
}

/** `length` questions drawn from `pool` with Zipf-distributed popularity (popularity order shuffled by seed). */
export function zipfQueryLog(
  pool: readonly string[],
  length: number,
  options: ZipfLogOptions = {},
): string[] {
  if (pool.length === 0) throw new Error('zipfQueryLog: empty question pool');
  const s = options.exponent ?? 1.0;
  const random = seededRandom(options.seed ?? 1949);
  const order = pool.map((q, i) => ({ q, key: random(), i })).sort((a, b) => a.key - b.key);
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 1; r <= order.length; r++) cumulative.push((total += 1 / r ** s));
  const log: string[] = [];
  for (let i = 0; i < length; i++) {
    const u = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    const question = order[lo].q;
    log.push(random() < (options.variantShare ?? 0.3) ? surfaceVariant(question, random) : question);
  }
  return log;
}

export interface LatencySummary {
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  totalSeconds: number;
}

function summarize(latenciesMs: number[]): LatencySummary {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const total = latenciesMs.reduce((s, x) => s + x, 0);
  return {
    meanMs: total / sorted.length,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    totalSeconds: total / 1000,
  };
}

export interface CacheEvalResult {
  n: number;
  distinctQuestions: number;
  distinctKeys: number;
  cacheSize: number;
  hitRate: number;
  /** Hit rate if every repeat of a normalised key hit (an unbounded cache). */
  idealHitRate: number;
  /** Answers served from the cache that differ from a fresh answer (must be 0). */
  staleAnswers: number;
  withoutCache: LatencySummary;
  withCache: LatencySummary;
}

/**
 * Replays `log` twice: once answering every question, once through an LRU cache of `cacheSize`
 * answers keyed by normalizeQuestion (+ the KB version, as the product keys it).
 */
export async function evaluateCache<A>(
  log: readonly string[],
  answer: (question: string) => Promise<A>,
  options: { cacheSize?: number; kbVersion?: string; sameAnswer?: (a: A, b: A) => boolean } = {},
): Promise<CacheEvalResult> {
  if (log.length === 0) throw new Error('evaluateCache: empty query log');
  const cacheSize = options.cacheSize ?? 1000;
  const kbVersion = options.kbVersion ?? '1';
  const same = options.sameAnswer ?? ((a: A, b: A) => JSON.stringify(a) === JSON.stringify(b));

  const fresh: A[] = [];
  const uncached: number[] = [];
  for (const question of log) {
    const t = process.hrtime.bigint();
    fresh.push(await answer(question));
    uncached.push(Number(process.hrtime.bigint() - t) / 1e6);
  }

  const cache = new LRUCache<string, { value: A }>({ max: cacheSize });
  const cached: number[] = [];
  let hits = 0;
  let stale = 0;
  for (let i = 0; i < log.length; i++) {
    const t = process.hrtime.bigint();
    const key = `${kbVersion}\u0000${normalizeQuestion(log[i])}`;
    let entry = cache.get(key);
    if (entry) hits++;
    else cache.set(key, (entry = { value: await answer(log[i]) }));
    cached.push(Number(process.hrtime.bigint() - t) / 1e6);
    if (!same(entry.value, fresh[i])) stale++;
  }

  const keys = log.map((q) => normalizeQuestion(q));
  const distinctKeys = new Set(keys).size;
  return {
    n: log.length,
    distinctQuestions: new Set(log).size,
    distinctKeys,
    cacheSize,
    hitRate: hits / log.length,
    idealHitRate: 1 - distinctKeys / log.length,
    staleAnswers: stale,
    withoutCache: summarize(uncached),
    withCache: summarize(cached),
  };
}
