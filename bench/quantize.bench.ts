/**
 * INT8 vs fp32 on real-shaped BERT models (random weights: speed depends on shapes, not values).
 * Run: npm run build && node dist/bench/quantize.bench.js [--threads N] [--json out.json]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRandomModel, type BertHead, type BertPreset } from '@wendao/models';
import { compareQuantized, quantizeModelFolder, type QuantizationReport } from '@wendao/hub';

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
  quantizeSeconds: number;
  report: QuantizationReport;
}

export async function runQuantizeBench(
  opts: { threads?: number; runs?: number } = {},
): Promise<QuantizeBenchRow[]> {
  const root = await mkdtemp(join(tmpdir(), 'wendao-quantize-bench-'));
  const rows: QuantizeBenchRow[] = [];
  try {
    for (const c of QUANTIZE_BENCH_CASES) {
      const dir = join(root, `${c.preset}-${c.head}`);
      await writeRandomModel(dir, { preset: c.preset, head: c.head });
      const started = Date.now();
      const folder = await quantizeModelFolder(dir);
      const quantizeSeconds = (Date.now() - started) / 1000;
      const report = await compareQuantized(folder.fp32Path, folder.int8Path, {
        dir,
        samples: c.samples,
        batchSize: c.batchSize,
        sequenceLength: c.sequenceLength,
        speedRuns: opts.runs ?? 3,
        threads: opts.threads,
      });
      rows.push({ name: c.name, unit: c.unit, quantizeSeconds, report });
      await rm(dir, { recursive: true, force: true });
      console.error(`${c.name}: done`);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return rows;
}

export function quantizeBenchTable(rows: QuantizeBenchRow[]): string {
  const mb = (b: number) => (b / 1e6).toFixed(1);
  const lines = [
    '| model | fp32 MB | int8 MB | size | fp32 speed | int8 speed | speedup | embedding cosine (mean / min) | top-1 span | max logit diff |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const { name, unit, report: r } of rows) {
    lines.push(
      `| ${name} | ${mb(r.fp32.bytes)} | ${mb(r.int8.bytes)} | ${(100 * r.sizeRatio).toFixed(1)} % | ` +
        `${r.fp32.sequencesPerSecond?.toFixed(1)} ${unit} | ${r.int8.sequencesPerSecond?.toFixed(1)} ${unit} | ` +
        `${r.speedup?.toFixed(2)}x | ${r.embeddingCosine.mean.toFixed(4)} / ${r.embeddingCosine.min.toFixed(4)} | ` +
        `${r.top1Agreement === undefined ? '-' : `${(100 * r.top1Agreement).toFixed(0)} %`} | ` +
        `${r.maxLogitDiff === undefined ? '-' : r.maxLogitDiff.toFixed(4)} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const threads = arg('--threads') ? Number(arg('--threads')) : undefined;
  const rows = await runQuantizeBench({ threads, runs: arg('--runs') ? Number(arg('--runs')) : undefined });
  console.log(`CPU: ${cpus()[0]?.model} x ${cpus().length}, onnxruntime threads: ${threads ?? 'default'}\n`);
  console.log(quantizeBenchTable(rows));
  const out = arg('--json');
  if (out) await writeFile(out, `${JSON.stringify(rows, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
