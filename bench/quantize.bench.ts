/**
 * INT8 vs fp32 on real-shaped BERT models (random weights: speed depends on shapes, not values):
 * file size, sentences/s (embedders) or windows/s (reader), and output agreement.
 * Run: npm run build && node dist/bench/quantize.bench.js [--quick] [--threads 1,2] [--out FILE]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRandomModel, type BertHead, type BertPreset } from '@wendao/models';
import { compareQuantized, quantizeModelFolder, type QuantizationReport } from '@wendao/hub';
import { parseBenchArgs } from './lib/bench-args';
import { benchCommand, printBenchResult, writeBenchResult } from './lib/bench-result';
import { machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';

interface QuantizeBenchCase {
  name: string;
  preset: BertPreset;
  head: BertHead;
  /** What one sequence is for this model's job. */
  unit: 'sentences/s' | 'windows/s';
  sequenceLength: number;
  batchSize: number;
  samples: number;
}

export const QUANTIZE_BENCH_CASES: QuantizeBenchCase[] = [
  // Encoder: short FAQ questions in batches of 32.
  {
    name: 'MiniLM-L12-H384 embedder',
    preset: 'minilm-l12-h384',
    head: 'embedder',
    unit: 'sentences/s',
    sequenceLength: 32,
    batchSize: 32,
    samples: 128,
  },
  // Reader: 384-token windows, a few per question.
  {
    name: 'BERT-base QA reader',
    preset: 'bert-base',
    head: 'qa',
    unit: 'windows/s',
    sequenceLength: 384,
    batchSize: 4,
    samples: 16,
  },
  {
    name: 'BERT-base embedder',
    preset: 'bert-base',
    head: 'embedder',
    unit: 'sentences/s',
    sequenceLength: 32,
    batchSize: 32,
    samples: 128,
  },
];

export interface QuantizeBenchRow {
  name: string;
  unit: string;
  threads: number;
  quantizeSeconds: number;
  report: QuantizationReport;
}

export async function runQuantizeBench(opts: {
  threadCounts: number[];
  runs: number;
  quick: boolean;
  log?: (line: string) => void;
}): Promise<QuantizeBenchRow[]> {
  const root = await mkdtemp(join(tmpdir(), 'wendao-quantize-bench-'));
  const rows: QuantizeBenchRow[] = [];
  const cases = opts.quick ? QUANTIZE_BENCH_CASES.slice(0, 1) : QUANTIZE_BENCH_CASES;
  try {
    for (const c of cases) {
      const dir = join(root, `${c.preset}-${c.head}`);
      opts.log?.(`[quantize] ${c.name}: building random weights`);
      await writeRandomModel(dir, { preset: c.preset, head: c.head });
      const started = process.hrtime.bigint();
      const folder = await quantizeModelFolder(dir);
      const quantizeSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      for (const threads of opts.threadCounts) {
        opts.log?.(`[quantize] ${c.name}: comparing with ${threads} thread(s)`);
        const report = await compareQuantized(folder.fp32Path, folder.int8Path, {
          dir,
          samples: opts.quick ? c.batchSize * 2 : c.samples,
          batchSize: c.batchSize,
          sequenceLength: c.sequenceLength,
          speedRuns: opts.runs,
          threads,
        });
        rows.push({ name: c.name, unit: c.unit, threads, quantizeSeconds, report });
      }
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return rows;
}

export function quantizeBenchTable(rows: QuantizeBenchRow[]): string {
  const mb = (b: number) => (b / 1e6).toFixed(1);
  return markdownTable(
    [
      'model',
      'threads',
      'fp32 MB',
      'int8 MB',
      'size',
      'fp32 speed',
      'int8 speed',
      'speedup',
      'embedding cosine (mean / min)',
      'top-1 span',
      'max logit diff',
    ],
    rows.map(({ name, unit, threads, report: r }) => [
      name,
      threads,
      mb(r.fp32.bytes),
      mb(r.int8.bytes),
      `${(100 * r.sizeRatio).toFixed(1)} %`,
      `${fixed(r.fp32.sequencesPerSecond, 1)} ${unit}`,
      `${fixed(r.int8.sequencesPerSecond, 1)} ${unit}`,
      `${fixed(r.speedup, 2)}x`,
      `${r.embeddingCosine.mean.toFixed(4)} / ${r.embeddingCosine.min.toFixed(4)}`,
      r.top1Agreement === undefined ? undefined : `${(100 * r.top1Agreement).toFixed(0)} %`,
      r.maxLogitDiff === undefined ? undefined : r.maxLogitDiff.toFixed(4),
    ]),
  );
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), {
    out: 'bench/results/quantize.json',
    threadCounts: [1, 2],
  });
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  const runs = args.quick ? 1 : 3;
  const rows = await runQuantizeBench({
    threadCounts: args.threadCounts,
    runs,
    quick: args.quick,
    log: (l) => console.error(l),
  });
  const table = quantizeBenchTable(rows);
  const notes = [
    'Random weights in real shapes (vocabulary 21128); default quantization: per-channel int8 MatMul weights via DynamicQuantizeMatMul, int8 embedding rows.',
    'Embedders: batches of 32 random-id sequences of 32 tokens; reader: batches of 4 windows of 384 tokens. fp32 and int8 alternate batch by batch.',
    'Agreement on random weights understates real models for QA: random-weight logits are nearly flat, so small changes flip the best span.',
  ];
  const result = await writeBenchResult(args.out!, {
    bench: 'quantize',
    command: benchCommand(),
    startedAt,
    machine,
    settings: { threadCounts: args.threadCounts, runs, quick: args.quick, cases: QUANTIZE_BENCH_CASES },
    rows,
    table,
    notes,
  });
  printBenchResult('INT8 vs fp32', result, args.out!);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
