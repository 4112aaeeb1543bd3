/**
 * HNSW vector index benchmark: build time, single-thread query throughput at ef 64 and 128, and
 * recall@10 against exact brute force, for 10k and 100k seeded 384-d vectors (MiniLM-sized).
 * Run: npm run build && node dist/bench/hnsw.bench.js [--quick] [--out FILE]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SeededRandom } from '@wendao/random';
import { VectorIndex } from '@wendao/retriever';
import { parseBenchArgs } from './lib/bench-args';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { percentile } from './lib/percentiles';

type Dataset = 'embedding-like' | 'uniform';

interface HnswRow {
  dataset: Dataset;
  vectors: number;
  dim: number;
  M: number;
  efConstruction: number;
  buildSeconds: number;
  insertsPerSecond: number;
  indexFileMiB: number;
  loadSeconds: number;
  ef: number;
  queries: number;
  qps: number;
  p50Ms: number;
  p99Ms: number;
  recallAt10: number;
  recallQueries: number;
}

const DIM = 384;
const LATENT = 32;
const M = 16;
const EF_CONSTRUCTION = 200;

/**
 * Embedding-like: a 32-d Gaussian latent through one fixed random 384x32 projection plus noise, then
 * L2-normalised (sentence embeddings have a low intrinsic dimension). Uniform: i.i.d. noise in 384-d,
 * no neighbourhood structure at all: the adversarial worst case for any graph index.
 */
function vectorSource(dataset: Dataset, seed: number): (n: number) => Float32Array[] {
  const random = new SeededRandom(seed);
  const projection = Array.from({ length: DIM }, () =>
    Float64Array.from({ length: LATENT }, () => random.normal()),
  );
  return (n) =>
    Array.from({ length: n }, () => {
      const v = new Float32Array(DIM);
      if (dataset === 'uniform') {
        for (let d = 0; d < DIM; d++) v[d] = random.normal();
      } else {
        const z = Float64Array.from({ length: LATENT }, () => random.normal());
        const noise = 0.1 * Math.sqrt(LATENT);
        for (let d = 0; d < DIM; d++) {
          let s = random.normal() * noise;
          const row = projection[d];
          for (let j = 0; j < LATENT; j++) s += row[j] * z[j];
          v[d] = s;
        }
      }
      let norm = 0;
      for (let d = 0; d < DIM; d++) norm += v[d] * v[d];
      norm = Math.sqrt(norm);
      for (let d = 0; d < DIM; d++) v[d] /= norm;
      return v;
    });
}

function exactTop10(vectors: Float32Array[], query: Float32Array): Set<number> {
  const best: Array<{ id: number; s: number }> = [];
  for (let id = 0; id < vectors.length; id++) {
    const v = vectors[id];
    let s = 0;
    for (let d = 0; d < DIM; d++) s += v[d] * query[d];
    if (best.length < 10 || s > best[best.length - 1].s) {
      best.push({ id, s });
      best.sort((a, b) => b.s - a.s);
      if (best.length > 10) best.pop();
    }
  }
  return new Set(best.map((b) => b.id));
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), { out: 'bench/results/hnsw.json' });
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  const plans: Array<{ dataset: Dataset; n: number }> = args.quick
    ? [
        { dataset: 'embedding-like', n: 2000 },
        { dataset: 'uniform', n: 2000 },
      ]
    : [
        { dataset: 'embedding-like', n: 10_000 },
        { dataset: 'embedding-like', n: 100_000 },
        { dataset: 'uniform', n: 10_000 },
      ];
  const queryCount = args.quick ? 200 : 2000;
  const recallCount = args.quick ? 50 : 200;
  const rows: HnswRow[] = [];

  for (const { dataset, n } of plans) {
    console.error(`[hnsw] ${dataset} ${n}: generating`);
    const sample = vectorSource(dataset, 42);
    const vectors = sample(n);
    const queries = sample(queryCount);

    console.error(`[hnsw] ${dataset} ${n}: building`);
    const index = new VectorIndex({
      dim: DIM,
      space: 'cosine',
      modelId: 'bench/random-384',
      maxElements: n,
      M,
    });
    const buildStart = process.hrtime.bigint();
    vectors.forEach((v, id) => index.add(id, v));
    const buildSeconds = seconds(buildStart);

    const dir = mkdtempSync(join(tmpdir(), 'wendao-hnsw-bench-'));
    index.save(dir);
    const indexFileMiB = statSync(join(dir, 'index.hnsw')).size / 2 ** 20;
    const loadStart = process.hrtime.bigint();
    VectorIndex.load(dir, { dim: DIM, modelId: 'bench/random-384' });
    const loadSeconds = seconds(loadStart);
    rmSync(dir, { recursive: true, force: true });

    console.error(`[hnsw] ${dataset} ${n}: exact top-10 for ${recallCount} queries`);
    const truth = queries.slice(0, recallCount).map((q) => exactTop10(vectors, q));

    for (const ef of [64, 128]) {
      for (let i = 0; i < 100; i++) index.search(queries[i], 10, { ef }); // warm-up
      const latencies: number[] = [];
      const all = process.hrtime.bigint();
      for (const q of queries) {
        const t = process.hrtime.bigint();
        index.search(q, 10, { ef });
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      const totalSeconds = seconds(all);
      let found = 0;
      truth.forEach((expected, i) => {
        for (const hit of index.search(queries[i], 10, { ef })) if (expected.has(hit.id)) found++;
      });
      rows.push({
        dataset,
        vectors: n,
        dim: DIM,
        M,
        efConstruction: EF_CONSTRUCTION,
        buildSeconds,
        insertsPerSecond: n / buildSeconds,
        indexFileMiB,
        loadSeconds,
        ef,
        queries: queryCount,
        qps: queryCount / totalSeconds,
        p50Ms: percentile(latencies, 50),
        p99Ms: percentile(latencies, 99),
        recallAt10: found / (truth.length * 10),
        recallQueries: truth.length,
      });
      console.error(`[hnsw] ${dataset} ${n} ef ${ef}: ${JSON.stringify(rows[rows.length - 1])}`);
    }
  }

  const table = markdownTable(
    [
      'vectors',
      'data',
      'build s',
      'inserts/s',
      'file MiB',
      'load s',
      'ef',
      'QPS (1 thread)',
      'p50 ms',
      'p99 ms',
      'recall@10',
    ],
    rows.map((r) => [
      r.vectors.toLocaleString('en-US'),
      r.dataset,
      fixed(r.buildSeconds, 1),
      fixed(r.insertsPerSecond, 0),
      fixed(r.indexFileMiB, 1),
      fixed(r.loadSeconds, 2),
      r.ef,
      fixed(r.qps, 0),
      fixed(r.p50Ms, 3),
      fixed(r.p99Ms, 3),
      fixed(r.recallAt10, 3),
    ]),
  );
  const notes = [
    `${DIM}-d cosine, M ${M}, efConstruction ${EF_CONSTRUCTION}, k 10; ${queryCount} sequential queries per ef after 100 warm-up queries; recall@10 against exact brute force over ${recallCount} queries.`,
    'embedding-like: 32-d Gaussian latent x fixed random 384x32 projection + noise, L2-normalised (low intrinsic dimension, like sentence embeddings); uniform: i.i.d. Gaussian 384-d, the worst case for graph indexes.',
    'load s includes the sha256 check of the index file against its manifest.',
  ];
  const result = await writeBenchResult(args.out!, {
    bench: 'hnsw',
    command: benchCommand(),
    startedAt,
    machine,
    settings: { dim: DIM, M, efConstruction: EF_CONSTRUCTION, queryCount, recallCount, quick: args.quick },
    rows,
    table,
    notes,
  });
  printBenchResult('HNSW (hnswlib-node via VectorIndex)', result, args.out!);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
