/**
 * FAQ search benchmark: `KnowledgeIndex.searchFaqs` (every question's first step in the answer
 * pipeline) per question, lexical and neural, on shop FAQs of 200, 500, 2,000 and 10,000 entries
 * (three phrasings and an answer each). Up to 50 entries every entry is scored; beyond, BM25 and
 * HNSW pick the candidates. Neural mode uses random unit vectors of e5-small / MiniLM's 384
 * dimensions (the search's cost does not depend on the weights that made them); each question's
 * vector lies near one of its entry's phrasings. Each question set is searched once untimed (the
 * JIT's warm-up), then timed.
 * Run: npm run build && node dist/bench/faq-search.bench.js [--quick] [--out FILE]
 */
import { performance } from 'node:perf_hooks';
import { KnowledgeIndex } from '@wendao/answer';
import { SeededRandom } from '@wendao/random';
import { parseBenchArgs } from './lib/bench-args';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { percentile } from './lib/percentiles';
import { shopFaqs } from './lib/shop-kb';

const DIM = 384;

interface FaqSearchRow {
  entries: number;
  mode: 'lexical' | 'neural';
  questions: number;
  meanMs: number;
  p50Ms: number;
  p95Ms: number;
  /** Share of questions whose own entry came first. */
  top1: number;
}

/** A random unit vector; with `near`, that vector plus uniform noise of ±0.035 per dimension. */
function unitVector(random: SeededRandom, near?: Float32Array): Float32Array {
  const spread = near ? 0.035 : 1;
  const v = new Float32Array(DIM);
  let norm = 0;
  for (let i = 0; i < DIM; i++) {
    v[i] = (near?.[i] ?? 0) + spread * (random.next() * 2 - 1);
    norm += v[i] * v[i];
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < DIM; i++) v[i] /= norm;
  return v;
}

function buildIndex(entries: number, neural: boolean, random: SeededRandom) {
  const embedder = neural
    ? {
        modelId: 'bench/random-384',
        dim: DIM,
        embed: () => Promise.reject(new Error('the bench gives every vector itself')),
        close: async () => {},
      }
    : undefined;
  const index = KnowledgeIndex.empty('bench', 1, embedder);
  const faqs = shopFaqs(entries);
  const phrasingVectors: Float32Array[][] = [];
  faqs.forEach((faq, i) => {
    const vectors = neural ? [0, 1, 2].map(() => unitVector(random)) : undefined;
    if (vectors) phrasingVectors.push(vectors);
    index.upsertFaq({
      seq: i + 1,
      id: `faq-${i}`,
      documentId: null,
      ...faq,
      vectors,
      answerVector: neural ? unitVector(random) : undefined,
    });
  });
  return { index, faqs, phrasingVectors };
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), { out: 'bench/results/faq-search.json' });
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  const sizes = args.quick ? [200, 2000] : [200, 500, 2000, 10_000];
  const questionCount = args.quick ? 200 : 1000;
  const rows: FaqSearchRow[] = [];
  for (const entries of sizes)
    for (const mode of ['lexical', 'neural'] as const) {
      const random = new SeededRandom(entries + (mode === 'neural' ? 1 : 0));
      const { index, faqs, phrasingVectors } = buildIndex(entries, mode === 'neural', random);
      // A question is an entry's alternate phrasing with its question mark: not word for word.
      const questions = Array.from({ length: questionCount }, () => {
        const entry = Math.floor(random.next() * entries);
        return {
          entry,
          text: `${faqs[entry].alternates[0]}？`,
          vector: mode === 'neural' ? unitVector(random, phrasingVectors[entry][1]) : undefined,
        };
      });
      const search = (q: (typeof questions)[number]) => index.searchFaqs(q.text, 5, { vector: q.vector });
      questions.forEach(search);
      const times: number[] = [];
      let top1 = 0;
      for (const q of questions) {
        const t = performance.now();
        const found = search(q);
        times.push(performance.now() - t);
        if (found[0]?.faq.seq === q.entry + 1) top1++;
      }
      times.sort((a, b) => a - b);
      const row: FaqSearchRow = {
        entries,
        mode,
        questions: questionCount,
        meanMs: times.reduce((s, x) => s + x, 0) / times.length,
        p50Ms: percentile(times, 50),
        p95Ms: percentile(times, 95),
        top1: top1 / questionCount,
      };
      rows.push(row);
      console.error(`[faq-search] ${entries} ${mode}: p50 ${fixed(row.p50Ms, 3)} ms`);
    }
  const table = markdownTable(
    ['FAQ entries', 'mode', 'questions', 'mean ms', 'p50 ms', 'p95 ms', 'own entry first'],
    rows.map((r) => [
      r.entries.toLocaleString('en'),
      r.mode,
      r.questions,
      fixed(r.meanMs, 3),
      fixed(r.p50Ms, 3),
      fixed(r.p95Ms, 3),
      `${fixed(r.top1 * 100, 1)} %`,
    ]),
  );
  const result = await writeBenchResult(args.out!, {
    bench: 'faq-search',
    command: benchCommand(),
    startedAt,
    machine,
    settings: { dim: DIM, questions: questionCount, quick: args.quick },
    rows,
    table,
    notes: [
      'One thread, one question at a time, after one untimed pass over the same questions.',
      'Neural vectors are random unit vectors (384 dimensions); a question vector lies near its entry’s second phrasing.',
    ],
  });
  printBenchResult('FAQ search (KnowledgeIndex.searchFaqs)', result, args.out!);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
