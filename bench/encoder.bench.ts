/**
 * Encoder speed: Wendao's SentenceEncoder against transformers.js on the same random-weight
 * MiniLM-L12-H384 ONNX file and tokenizer.json, same onnxruntime-node, same intra-op threads.
 * Run: npm run build && node dist/bench/encoder.bench.js [--quick] [--threads 1,2] [--out FILE]
 */
import { env as transformersEnv, pipeline, type FeatureExtractionPipeline } from '@huggingface/transformers';
import { SentenceEncoder } from '@wendao/encoder';
import { TextTokenizer } from '@wendao/models';
import { parseBenchArgs, type BenchArgs } from './lib/bench-args';
import { prepareBenchModel, type BenchModel } from './lib/bench-models';
import { benchCommand, writeBenchResult } from './lib/bench-result';
import { takeTurns, throughput } from './lib/bench-timer';
import { faqSentences } from './lib/faq-sentences';
import { describeMachine, machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { summarize } from './lib/percentiles';

/** One way of turning texts into unit vectors, timed the same way as every other. */
interface EmbeddingEngine {
  name: string;
  embed(texts: string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

export interface EncoderBenchRow {
  engine: string;
  threads: number;
  /** Sentences/s, one text per call (wall clock). */
  batch1PerSecond: number;
  batch1P50Ms: number;
  batch1P95Ms: number;
  /**
   * Batch-1 p50 with each engine making BLOCK consecutive calls in turn: its weights stay in the
   * CPU caches between calls, as in a server with one encoder, where call-by-call turns make every
   * call read them from memory again.
   */
  batch1BlockP50Ms: number;
  /** Sentences/s, 32 distinct texts per call (wall clock). */
  batch32PerSecond: number;
  batch32P50Ms: number;
  /** Sentences/s for a corpus embedded in batches of 32 (ingestion); Wendao gets the corpus in one call. */
  corpusPerSecond: number;
  /** CPU time of one single-text call, median (load-robust). */
  batch1CpuP50Ms: number;
  /** Sentences per CPU-second at batch 32 (load-robust). */
  batch32PerCpuSecond: number;
  /** Largest |difference| from Wendao fp32's vector on the same texts (0 = the same model output). */
  maxAbsDiffToWendaoFp32: number;
}

interface Workload {
  warmup: number;
  batch1Calls: number;
  batch32Calls: number;
  corpusSize: number;
  corpusRuns: number;
}

const FULL: Workload = { warmup: 5, batch1Calls: 150, batch32Calls: 16, corpusSize: 512, corpusRuns: 3 };
const QUICK: Workload = { warmup: 1, batch1Calls: 6, batch32Calls: 2, corpusSize: 64, corpusRuns: 1 };

async function wendaoEngine(
  model: BenchModel,
  threads: number,
  int8: boolean,
  opts: { planRuns?: boolean; packed?: boolean } = {},
): Promise<EmbeddingEngine> {
  const planRuns = opts.planRuns ?? true;
  const packed = opts.packed ?? true;
  const encoder = await SentenceEncoder.load(model.dir, {
    threads,
    batchSize: 32,
    // The cache would measure a Map lookup, not the model.
    cacheSize: 0,
    preferInt8: int8,
    // Infinity: one run per 32 texts padded to the longest, as transformers.js does (the ablation row).
    ...(planRuns ? {} : { runCostTokens: Infinity }),
    packed,
  });
  // fp32 must run packed unless told not to; int8 files always run as they are.
  const expectedLayout = packed && !int8 ? 'packed' : 'padded';
  if (encoder.layout !== expectedLayout) {
    throw new Error(
      `Wendao ran the ${encoder.layout} layout, expected ${expectedLayout} (${encoder.layoutNote ?? ''})`,
    );
  }
  const expected = int8 ? model.int8Path : model.fp32Path;
  if (encoder.folder.onnxPath !== expected) {
    throw new Error(`Wendao loaded ${encoder.folder.onnxPath}, expected ${expected}`);
  }
  return {
    name: `Wendao ${int8 ? 'int8' : 'fp32'}${int8 || packed ? '' : ', padded'}${planRuns ? '' : ', unplanned runs'}`,
    embed: async (texts) => (await encoder.embed(texts)).vectors,
    close: () => encoder.close(),
  };
}

async function transformersEngine(
  model: BenchModel,
  threads: number,
  int8: boolean,
): Promise<EmbeddingEngine> {
  transformersEnv.allowRemoteModels = false;
  transformersEnv.allowLocalModels = true;
  transformersEnv.localModelPath = `${model.root}/`;
  const extractor = (await pipeline('feature-extraction', model.id, {
    dtype: int8 ? 'q8' : 'fp32',
    session_options: { intraOpNumThreads: threads },
  })) as FeatureExtractionPipeline;
  return {
    name: `transformers.js ${int8 ? 'q8' : 'fp32'}`,
    embed: async (texts) => {
      const output = await extractor(texts, { pooling: 'mean', normalize: true });
      const [rows, dim] = output.dims;
      const data = output.data as Float32Array;
      return Array.from({ length: rows }, (_, r) => data.subarray(r * dim, (r + 1) * dim));
    },
    close: () => extractor.dispose(),
  };
}

function maxAbsDiff(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((u, i) => {
    for (let d = 0; d < u.length; d++) worst = Math.max(worst, Math.abs(u[d] - b[i][d]));
  });
  return worst;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

async function loadEngines(model: BenchModel, threads: number, notes: string[]): Promise<EmbeddingEngine[]> {
  const engines: EmbeddingEngine[] = [
    await wendaoEngine(model, threads, false),
    await wendaoEngine(model, threads, false, { packed: false }),
    await wendaoEngine(model, threads, false, { packed: false, planRuns: false }),
  ];
  if (model.int8Path) engines.push(await wendaoEngine(model, threads, true));
  engines.push(await transformersEngine(model, threads, false));
  if (model.int8Path) {
    try {
      engines.push(await transformersEngine(model, threads, true));
    } catch (err) {
      notes.push(`transformers.js q8 could not load model_quantized.onnx: ${(err as Error).message}`);
    }
  }
  return engines;
}

/** Consecutive single-text calls per engine in the block round. */
const BLOCK = 25;

export async function runEncoderBench(
  args: BenchArgs,
  log: (message: string) => void = (m) => console.error(m),
): Promise<{ rows: EncoderBenchRow[]; notes: string[]; tokens: { mean: number; max: number } }> {
  const work = args.quick ? QUICK : FULL;
  const model = await prepareBenchModel({
    preset: 'minilm-l12-h384',
    head: 'embedder',
    root: args.modelsDir,
    log,
  });
  const notes: string[] = [];
  if (!model.int8Path)
    notes.push(`no int8 rows: the INT8 quantizer failed (${model.int8Error ?? 'unknown'})`);

  const batch1Texts = faqSentences(work.warmup + work.batch1Calls, { seed: 1 });
  const batch32Texts = chunks(faqSentences(32 * (work.warmup + work.batch32Calls), { seed: 2 }), 32);
  const corpus = faqSentences(work.corpusSize, { seed: 3 });
  const tokenizer = TextTokenizer.load(model.dir);
  const lengths = (await tokenizer.encodeBatch([...batch1Texts, ...batch32Texts.flat(), ...corpus])).map(
    (t) => t.ids.length,
  );
  const tokens = { mean: lengths.reduce((a, b) => a + b, 0) / lengths.length, max: Math.max(...lengths) };

  const rows: EncoderBenchRow[] = [];
  for (const threads of args.threadCounts) {
    const engines = await loadEngines(model, threads, notes);
    // Same texts through every engine: near-identical vectors prove they run the same model.
    const check = corpus.slice(0, 32);
    const reference = await engines[0].embed(check);
    const diff = new Map<string, number>();
    for (const engine of engines) diff.set(engine.name, maxAbsDiff(reference, await engine.embed(check)));

    for (const engine of engines) {
      for (let i = 0; i < work.warmup; i++) {
        await engine.embed([batch1Texts[i]]);
        await engine.embed(batch32Texts[i]);
      }
    }
    log(`${threads} thread(s): batch 1 (load ${machineInfo().loadAverage[0]})`);
    const batch1 = await takeTurns(engines, work.batch1Calls, (e, i) =>
      e.embed([batch1Texts[work.warmup + i]]),
    );
    log(`${threads} thread(s): batch 1 in blocks of ${BLOCK} (load ${machineInfo().loadAverage[0]})`);
    const batch1Blocks = await takeTurns(
      engines,
      work.batch1Calls,
      (e, i) => e.embed([batch1Texts[work.warmup + i]]),
      {
        block: BLOCK,
      },
    );
    log(`${threads} thread(s): batch 32 (load ${machineInfo().loadAverage[0]})`);
    const batch32 = await takeTurns(engines, work.batch32Calls, (e, i) =>
      e.embed(batch32Texts[work.warmup + i]),
    );
    log(`${threads} thread(s): corpus of ${corpus.length} (load ${machineInfo().loadAverage[0]})`);
    // Ingestion: Wendao's API takes the whole corpus (it sorts by length and plans its runs);
    // the pipeline is called the way its docs show, 32 texts at a time in corpus order.
    const corpusTimes = await takeTurns(engines, work.corpusRuns, async (e) => {
      if (e.name.startsWith('Wendao')) return e.embed(corpus);
      for (const chunk of chunks(corpus, 32)) await e.embed(chunk);
    });

    for (const engine of engines) {
      const b1 = batch1.get(engine.name) ?? [];
      const b32 = batch32.get(engine.name) ?? [];
      const c = corpusTimes.get(engine.name) ?? [];
      const wall1 = b1.map((s) => s.wallMs);
      rows.push({
        engine: engine.name,
        threads,
        batch1PerSecond: throughput(b1.length, wall1),
        batch1P50Ms: summarize(wall1).p50,
        batch1P95Ms: summarize(wall1).p95,
        batch1BlockP50Ms: summarize((batch1Blocks.get(engine.name) ?? []).map((s) => s.wallMs)).p50,
        batch32PerSecond: throughput(
          32 * b32.length,
          b32.map((s) => s.wallMs),
        ),
        batch32P50Ms: summarize(b32.map((s) => s.wallMs)).p50,
        corpusPerSecond: throughput(
          corpus.length * c.length,
          c.map((s) => s.wallMs),
        ),
        batch1CpuP50Ms: summarize(b1.map((s) => s.cpuMs)).p50,
        batch32PerCpuSecond: throughput(
          32 * b32.length,
          b32.map((s) => s.cpuMs),
        ),
        maxAbsDiffToWendaoFp32: diff.get(engine.name) ?? NaN,
      });
    }
    for (const engine of engines) await engine.close();
  }
  return { rows, notes, tokens };
}

export function encoderBenchTable(rows: EncoderBenchRow[]): string {
  const peerOf = (r: EncoderBenchRow) =>
    rows.find((p) => p.engine === 'transformers.js fp32' && p.threads === r.threads);
  const ratio = (value: number, peer: number | undefined) =>
    peer ? `${fixed(value / peer, 2)}x` : undefined;
  return markdownTable(
    [
      'engine',
      'threads',
      'batch 1 sent/s',
      'batch 1 p50 ms',
      'batch 1 p95 ms',
      `batch 1 p50 ms, ${BLOCK}-call blocks`,
      'batch 32 sent/s',
      'batch 32 p50 ms',
      'batch 32 vs transformers.js fp32',
      'corpus sent/s',
      'batch 1 CPU p50 ms',
      'batch 32 sent/CPU-s',
      'CPU vs transformers.js fp32',
      'max abs diff to Wendao fp32',
    ],
    rows.map((r) => [
      r.engine,
      r.threads,
      fixed(r.batch1PerSecond, 1),
      fixed(r.batch1P50Ms, 2),
      fixed(r.batch1P95Ms, 2),
      fixed(r.batch1BlockP50Ms, 2),
      fixed(r.batch32PerSecond, 1),
      fixed(r.batch32P50Ms, 1),
      ratio(r.batch32PerSecond, peerOf(r)?.batch32PerSecond),
      fixed(r.corpusPerSecond, 1),
      fixed(r.batch1CpuP50Ms, 2),
      fixed(r.batch32PerCpuSecond, 1),
      ratio(r.batch32PerCpuSecond, peerOf(r)?.batch32PerCpuSecond),
      r.maxAbsDiffToWendaoFp32.toExponential(1),
    ]),
  );
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), {
    out: 'bench/results/encoder.json',
    threadCounts: [1, 2],
  });
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  console.error(
    `encoder bench on ${describeMachine(machine)}, intra-op threads ${args.threadCounts.join(', ')}${args.quick ? ' (quick)' : ''}`,
  );
  const { rows, notes, tokens } = await runEncoderBench(args);
  const table = encoderBenchTable(rows);
  console.log(table);
  console.log(`\ntokens per text: mean ${tokens.mean.toFixed(1)}, max ${tokens.max}`);
  for (const note of notes) console.log(`note: ${note}`);
  if (args.out) {
    await writeBenchResult(args.out, {
      bench: 'encoder',
      command: benchCommand(),
      startedAt,
      machine,
      settings: {
        model:
          'random-weight MiniLM-L12-H384 (vocab 21128), onnx/model.onnx + tokenizer.json shared by all engines',
        threads: args.threadCounts,
        quick: args.quick,
        workload: args.quick ? QUICK : FULL,
        tokensPerText: tokens,
      },
      rows,
      table,
      notes,
    });
    console.error(`wrote ${args.out}`);
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
