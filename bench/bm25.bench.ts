/**
 * BM25 benchmark: index build time, single-thread query throughput, edit throughput and snapshot
 * size/time for 10k and 100k synthetic mixed Chinese/English passages.
 * Run: npm run build && node --expose-gc dist/bench/bm25.bench.js [--quick] [--out FILE]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SeededRandom } from '@wendao/random';
import { Bm25Index, TextAnalyzer } from '@wendao/retriever';
import { parseBenchArgs } from './lib/bench-args';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { percentile } from './lib/percentiles';

interface Bm25Row {
  passages: number;
  avgChars: number;
  buildSeconds: number;
  passagesPerSecond: number;
  charsPerSecond: number;
  vocabulary: number;
  heapMiB: number;
  queries: number;
  qps: number;
  p50Ms: number;
  p99Ms: number;
  sourceAt10: number;
  updatesPerSecond: number;
  snapshotMiB: number;
  toJsonSeconds: number;
  fromJsonSeconds: number;
}

// Customer-service English that shows up inside Chinese passages and on its own.
const ENGLISH = (
  'order refund return shipping delivery invoice payment account password warranty repair exchange ' +
  'coupon discount member points address phone email service support app website login update cancel ' +
  'package tracking express standard international customs fee price stock size color battery charger ' +
  'screen iphone android wifi bluetooth vip paypal visa mastercard receipt policy days hours business'
).split(' ');

/** Real Chinese words from jieba's dictionary, most frequent first, sampled with a Zipf law like text. */
function chineseVocabulary(limit: number): string[] {
  const dictPath = join(dirname(require.resolve('@node-rs/jieba/package.json')), 'dict.txt');
  const words = readFileSync(dictPath, 'utf8')
    .split('\n')
    .map((line) => line.split(' '))
    .filter(([w, f]) => /^[\u4e00-\u9fff]{2,4}$/.test(w) && Number(f) > 0)
    .map(([w, f]) => ({ w, f: Number(f) }))
    .sort((a, b) => b.f - a.f);
  return words.slice(0, limit).map((x) => x.w);
}

class ZipfPicker<T> {
  private readonly cumulative: Float64Array;
  constructor(
    private readonly items: T[],
    private readonly random: SeededRandom,
  ) {
    this.cumulative = new Float64Array(items.length);
    let total = 0;
    items.forEach((_, i) => (this.cumulative[i] = total += 1 / (i + 1)));
    this.cumulative = this.cumulative.map((c) => c / total);
  }
  pick(): T {
    const r = this.random.next();
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return this.items[lo];
  }
}

interface Corpus {
  passages: string[];
  /** Query text and the passage it was drawn from (-1 for a free query). */
  queries: Array<{ text: string; source: number }>;
}

function syntheticCorpus(n: number, queryCount: number, seed: number): Corpus {
  const random = new SeededRandom(seed);
  const zh = new ZipfPicker(chineseVocabulary(30_000), random);
  const en = new ZipfPicker(ENGLISH, random);
  const int = (lo: number, hi: number) => lo + Math.floor(random.next() * (hi - lo + 1));
  const passageTokens: string[][] = [];
  const passages: string[] = [];
  for (let p = 0; p < n; p++) {
    const tokens: string[] = [];
    let text = '';
    const sentences = int(2, 5);
    for (let s = 0; s < sentences; s++) {
      const length = int(5, 14);
      for (let t = 0; t < length; t++) {
        const r = random.next();
        let token: string;
        if (r < 0.1) token = ` ${en.pick()} `;
        else if (r < 0.13) token = String(int(1, 999));
        else token = zh.pick();
        tokens.push(token.trim());
        text += token;
        if (t === Math.floor(length / 2)) text += '，';
      }
      text += random.next() < 0.8 ? '。' : '？';
    }
    passageTokens.push(tokens);
    passages.push(text.replace(/ {2,}/g, ' ').trim());
  }
  const queries: Corpus['queries'] = [];
  for (let q = 0; q < queryCount; q++) {
    if (random.next() < 0.8) {
      // A question about one passage: a few of its words, in its order, with question scaffolding.
      const source = int(0, n - 1);
      const tokens = passageTokens[source];
      const start = int(0, Math.max(0, tokens.length - 4));
      const words = tokens.slice(start, start + int(2, 4));
      queries.push({ text: `请问${words.join('')}怎么办？`, source });
    } else {
      queries.push({ text: `${zh.pick()}${zh.pick()} ${en.pick()}`, source: -1 });
    }
  }
  return { passages, queries };
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;
const gc = (globalThis as { gc?: () => void }).gc;
const heapMiB = () => {
  gc?.();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 2 ** 20;
};

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), { out: 'bench/results/bm25.json' });
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  const sizes = args.quick ? [5000] : [10_000, 100_000];
  const queryCount = args.quick ? 500 : 2000;
  const rows: Bm25Row[] = [];
  new TextAnalyzer().analyze('预热 warm-up'); // loads jieba's shared dictionary once, outside the timings

  for (const n of sizes) {
    console.error(`[bm25] ${n}: generating`);
    const corpus = syntheticCorpus(n, queryCount, 2024);
    const chars = corpus.passages.reduce((s, p) => s + p.length, 0);
    const heapBefore = heapMiB();

    console.error(`[bm25] ${n}: building`);
    const index = new Bm25Index();
    const buildStart = process.hrtime.bigint();
    corpus.passages.forEach((p, id) => index.add(id, p));
    const buildSeconds = seconds(buildStart);
    const heap = heapMiB() - heapBefore;

    for (let i = 0; i < 100; i++) index.search(corpus.queries[i].text, 10); // warm-up
    const latencies: number[] = [];
    let found = 0;
    let answerable = 0;
    const all = process.hrtime.bigint();
    for (const q of corpus.queries) {
      const t = process.hrtime.bigint();
      const hits = index.search(q.text, 10);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (q.source >= 0) {
        answerable++;
        if (hits.some((h) => h.id === q.source)) found++;
      }
    }
    const querySeconds = seconds(all);

    const updates = Math.min(2000, n);
    const updateStart = process.hrtime.bigint();
    for (let i = 0; i < updates; i++) index.update(i, corpus.passages[(i + 1) % n]);
    const updatesPerSecond = updates / seconds(updateStart);

    const toJsonStart = process.hrtime.bigint();
    const json = JSON.stringify(index.toJSON());
    const toJsonSeconds = seconds(toJsonStart);
    const fromJsonStart = process.hrtime.bigint();
    Bm25Index.fromJSON(JSON.parse(json));
    const fromJsonSeconds = seconds(fromJsonStart);

    rows.push({
      passages: n,
      avgChars: chars / n,
      buildSeconds,
      passagesPerSecond: n / buildSeconds,
      charsPerSecond: chars / buildSeconds,
      vocabulary: index.vocabularySize,
      heapMiB: heap,
      queries: queryCount,
      qps: queryCount / querySeconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      sourceAt10: found / answerable,
      updatesPerSecond,
      snapshotMiB: Buffer.byteLength(json) / 2 ** 20,
      toJsonSeconds,
      fromJsonSeconds,
    });
    console.error(`[bm25] ${n}: ${JSON.stringify(rows[rows.length - 1])}`);
  }

  const table = markdownTable(
    [
      'passages',
      'avg chars',
      'build s',
      'passages/s',
      'terms',
      'heap MiB',
      'QPS (1 thread)',
      'p50 ms',
      'p99 ms',
      'source@10',
      'updates/s',
      'snapshot MiB',
      'toJSON s',
      'fromJSON s',
    ],
    rows.map((r) => [
      r.passages.toLocaleString('en-US'),
      fixed(r.avgChars, 0),
      fixed(r.buildSeconds, 1),
      fixed(r.passagesPerSecond, 0),
      r.vocabulary.toLocaleString('en-US'),
      gc ? fixed(r.heapMiB, 0) : '-',
      fixed(r.qps, 0),
      fixed(r.p50Ms, 2),
      fixed(r.p99Ms, 2),
      fixed(r.sourceAt10, 3),
      fixed(r.updatesPerSecond, 0),
      fixed(r.snapshotMiB, 1),
      fixed(r.toJsonSeconds, 2),
      fixed(r.fromJsonSeconds, 2),
    ]),
  );
  const notes = [
    "Passages: 2-5 sentences of 5-14 tokens; tokens are Zipf-sampled from the 30k most frequent 2-4 character words of jieba's dictionary, 10% English customer-service words, 3% numbers (seed 2024).",
    `Queries: ${queryCount}, 80% "请问<2-4 consecutive words of one passage>怎么办？" (source@10 = that passage in the top 10), 20% two random words plus an English word; k 10, sequential, after 100 warm-up queries.`,
    'Build time includes analysis (jieba precise cut + CJK bigrams + characters, English stemming); updates/s is remove + re-add of a passage; heap is heapUsed + arrayBuffers after GC (needs --expose-gc).',
  ];
  const result = await writeBenchResult(args.out!, {
    bench: 'bm25',
    command: benchCommand(),
    startedAt,
    machine,
    settings: { sizes, queryCount, k1: 1.2, b: 0.75, quick: args.quick },
    rows,
    table,
    notes,
  });
  printBenchResult('BM25 (Bm25Index)', result, args.out!);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
