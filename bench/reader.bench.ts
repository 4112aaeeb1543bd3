/**
 * Reader speed: NeuralReader on a random-weight BERT-base QA model (real shapes), one question
 * against Chinese passages that each fill exactly one 384-token window, fp32 and int8.
 * Run: npm run build && node dist/bench/reader.bench.js [--quick] [--threads 1,2] [--out FILE]
 */
import { TextTokenizer, createSession } from '@wendao/models';
import { NeuralReader } from '@wendao/reader';
import { Tensor } from 'onnxruntime-node';
import { parseBenchArgs, type BenchArgs } from './lib/bench-args';
import { prepareBenchModel, type BenchModel } from './lib/bench-models';
import { benchCommand, writeBenchResult } from './lib/bench-result';
import { takeTurns, timeCall, throughput, type CallSample } from './lib/bench-timer';
import { describeMachine, machineInfo } from './lib/machine-info';
import { fixed, markdownTable } from './lib/markdown-table';
import { summarize } from './lib/percentiles';

const WINDOW = 384;
const QUESTION = '如果商品签收后发现质量问题，退货的运费由谁承担？';
const PASSAGE_SENTENCES = [
  '我们的退货政策是签收后七天内可申请无理由退货，请确保商品未使用且包装完整。',
  '如果商品存在质量问题，退货运费由我们承担，退款会在收到退货后三个工作日内原路返回。',
  '订单付款后一般在四十八小时内发货，节假日顺延，偏远地区配送时间会稍长一些。',
  '会员积分可以在下单时抵扣现金，每一百积分抵扣一元，积分不能兑换成现金提现。',
  '电子发票会在订单完成后发送到您的邮箱，如需增值税专用发票，请联系人工客服办理。',
  '客服在线时间为每天上午九点到晚上九点，其他时间可以留言，我们会尽快回复您。',
  '修改收货地址需要在发货前操作，已发货的订单请联系快递公司或客服协助处理。',
];

interface ReaderWorkload {
  warmup: number;
  batch1Calls: number;
  batch8Calls: number;
  faqCalls: number;
}

const FULL: ReaderWorkload = { warmup: 1, batch1Calls: 12, batch8Calls: 2, faqCalls: 8 };
const QUICK: ReaderWorkload = { warmup: 1, batch1Calls: 3, batch8Calls: 1, faqCalls: 1 };

/**
 * What the API hands the reader for one question: the top passages of a FAQ knowledge base, short
 * and of different lengths. Passage k holds k + 1 of the sentences (37-190 characters).
 */
const FAQ_PASSAGES = PASSAGE_SENTENCES.slice(0, 5).map((_, k) =>
  Array.from({ length: k + 1 }, (__, j) => PASSAGE_SENTENCES[(k + j) % PASSAGE_SENTENCES.length]).join(''),
);

export interface ReaderBenchRow {
  engine: string;
  threads: number;
  /** answer() on one passage that makes one full 384-token window. */
  window1P50Ms: number;
  window1P95Ms: number;
  window1PerSecond: number;
  /** Windows per CPU-second at batch 1 (load-robust). */
  window1PerCpuSecond: number;
  /** The bare ONNX run of one [1, 384] window, no tokenization or span search. */
  modelOnlyP50Ms: number;
  /** answer() on 8 one-window passages with batchSize 8 (one model run of [8, 384]). */
  batch8PerSecond: number;
  batch8P50Ms: number;
  /** Windows per CPU-second at batch 8 (load-robust). */
  batch8PerCpuSecond: number;
  /** answer() on FAQ_PASSAGES (five windows of different lengths, one run). */
  faq5P50Ms: number;
}

/** A Chinese passage whose tokens exactly fill one window after the question and 3 special tokens. */
async function fullWindowPassages(tokenizer: TextTokenizer, count: number): Promise<string[]> {
  const questionTokens = (await tokenizer.tokenIds(QUESTION)).length;
  const budget = WINDOW - 3 - questionTokens;
  const passages: string[] = [];
  for (let p = 0; p < count; p++) {
    // Rotate the sentences so each passage differs; every CJK character and punctuation mark is one token.
    const rotated = [...PASSAGE_SENTENCES.slice(p % 7), ...PASSAGE_SENTENCES.slice(0, p % 7)];
    let text = rotated.join('');
    while ([...text].length < budget) text += rotated.join('');
    text = [...text].slice(0, budget).join('');
    const tokens = (await tokenizer.tokenIds(text)).length;
    if (tokens !== budget)
      throw new Error(`passage ${p} has ${tokens} tokens, expected ${budget} to fill the window`);
    passages.push(text);
  }
  return passages;
}

interface ReaderEngine {
  name: string;
  reader: NeuralReader;
  modelOnly: () => Promise<unknown>;
  close: () => Promise<void>;
}

async function loadEngine(
  model: BenchModel,
  threads: number,
  int8: boolean,
  packed = true,
): Promise<ReaderEngine> {
  const reader = await NeuralReader.load(model.dir, { threads, preferInt8: int8, packed });
  const expected = int8 ? model.int8Path : model.fp32Path;
  if (reader.model.onnxPath !== expected)
    throw new Error(`reader loaded ${reader.model.onnxPath}, expected ${expected}`);
  const expectedLayout = packed && !int8 ? 'packed' : 'padded';
  if (reader.layout !== expectedLayout) {
    throw new Error(
      `reader ran the ${reader.layout} layout, expected ${expectedLayout} (${reader.layoutNote ?? ''})`,
    );
  }
  // A second session on the same file times the model alone, to show what the reader adds around it.
  const session = await createSession(reader.model.onnxPath, { threads });
  const dims = [1, WINDOW];
  const feeds = {
    input_ids: new Tensor('int64', new BigInt64Array(WINDOW).fill(1000n), dims),
    attention_mask: new Tensor('int64', new BigInt64Array(WINDOW).fill(1n), dims),
    token_type_ids: new Tensor('int64', new BigInt64Array(WINDOW), dims),
  };
  return {
    name: `Wendao ${int8 ? 'int8' : 'fp32'}${int8 || packed ? '' : ', padded'}`,
    reader,
    modelOnly: () => session.run(feeds),
    close: () => session.release(),
  };
}

export async function runReaderBench(
  args: BenchArgs,
  log: (message: string) => void = (m) => console.error(m),
): Promise<{ rows: ReaderBenchRow[]; notes: string[] }> {
  const work = args.quick ? QUICK : FULL;
  const model = await prepareBenchModel({ preset: 'bert-base', head: 'qa', root: args.modelsDir, log });
  const notes: string[] = [];
  if (!model.int8Path)
    notes.push(`no int8 rows: the INT8 quantizer failed (${model.int8Error ?? 'unknown'})`);
  const passages = await fullWindowPassages(TextTokenizer.load(model.dir), 8);

  const rows: ReaderBenchRow[] = [];
  for (const threads of args.threadCounts) {
    const engines = [await loadEngine(model, threads, false), await loadEngine(model, threads, false, false)];
    if (model.int8Path) engines.push(await loadEngine(model, threads, true));
    for (const engine of engines) {
      const check = await engine.reader.answer(QUESTION, passages.slice(0, 1), {
        maxSeqLength: WINDOW,
        batchSize: 1,
      });
      if (check.windows !== 1) throw new Error(`one passage made ${check.windows} windows, expected 1`);
      for (let i = 0; i < work.warmup; i++) {
        await engine.reader.answer(QUESTION, [passages[i % 8]], { maxSeqLength: WINDOW, batchSize: 1 });
        await engine.reader.answer(QUESTION, passages, { maxSeqLength: WINDOW, batchSize: 8 });
        await engine.modelOnly();
      }
    }
    const one = new Map<string, CallSample[]>(engines.map((e) => [e.name, []]));
    const bare = new Map<string, CallSample[]>(engines.map((e) => [e.name, []]));
    const eight = new Map<string, CallSample[]>(engines.map((e) => [e.name, []]));
    log(`${threads} thread(s): one window per call (load ${machineInfo().loadAverage[0]})`);
    // fp32 and int8 take turns call by call so load spikes from other processes hit both.
    for (let i = 0; i < work.batch1Calls; i++) {
      for (const engine of i % 2 ? [...engines].reverse() : engines) {
        one
          .get(engine.name)
          ?.push(
            await timeCall(() =>
              engine.reader.answer(QUESTION, [passages[i % 8]], { maxSeqLength: WINDOW, batchSize: 1 }),
            ),
          );
        bare.get(engine.name)?.push(await timeCall(engine.modelOnly));
      }
    }
    log(`${threads} thread(s): 8 windows per call (load ${machineInfo().loadAverage[0]})`);
    for (let i = 0; i < work.batch8Calls; i++) {
      for (const engine of i % 2 ? [...engines].reverse() : engines) {
        eight
          .get(engine.name)
          ?.push(
            await timeCall(() =>
              engine.reader.answer(QUESTION, passages, { maxSeqLength: WINDOW, batchSize: 8 }),
            ),
          );
      }
    }
    log(`${threads} thread(s): 5 short FAQ passages per call (load ${machineInfo().loadAverage[0]})`);
    const faq = await takeTurns(engines, work.faqCalls, (engine) =>
      engine.reader.answer(QUESTION, FAQ_PASSAGES, { maxSeqLength: WINDOW, batchSize: 8 }),
    );
    for (const engine of engines) {
      const w1 = (one.get(engine.name) ?? []).map((s) => s.wallMs);
      const c1 = (one.get(engine.name) ?? []).map((s) => s.cpuMs);
      const b8 = eight.get(engine.name) ?? [];
      rows.push({
        engine: engine.name,
        threads,
        window1P50Ms: summarize(w1).p50,
        window1P95Ms: summarize(w1).p95,
        window1PerSecond: throughput(w1.length, w1),
        window1PerCpuSecond: throughput(c1.length, c1),
        modelOnlyP50Ms: summarize((bare.get(engine.name) ?? []).map((s) => s.wallMs)).p50,
        batch8PerSecond: throughput(
          8 * b8.length,
          b8.map((s) => s.wallMs),
        ),
        batch8P50Ms: summarize(b8.map((s) => s.wallMs)).p50,
        batch8PerCpuSecond: throughput(
          8 * b8.length,
          b8.map((s) => s.cpuMs),
        ),
        faq5P50Ms: summarize((faq.get(engine.name) ?? []).map((s) => s.wallMs)).p50,
      });
      await engine.close();
    }
  }
  return { rows, notes };
}

export function readerBenchTable(rows: ReaderBenchRow[]): string {
  return markdownTable(
    [
      'engine',
      'threads',
      '1 window p50 ms',
      '1 window p95 ms',
      'windows/s at batch 1',
      'windows/CPU-s at batch 1',
      'bare model p50 ms',
      'windows/s at batch 8',
      'batch 8 p50 ms',
      'windows/CPU-s at batch 8',
      '5 short FAQ passages p50 ms',
    ],
    rows.map((r) => [
      r.engine,
      r.threads,
      fixed(r.window1P50Ms, 1),
      fixed(r.window1P95Ms, 1),
      fixed(r.window1PerSecond, 2),
      fixed(r.window1PerCpuSecond, 2),
      fixed(r.modelOnlyP50Ms, 1),
      fixed(r.batch8PerSecond, 2),
      fixed(r.batch8P50Ms, 0),
      fixed(r.batch8PerCpuSecond, 2),
      fixed(r.faq5P50Ms, 0),
    ]),
  );
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2), {
    out: 'bench/results/reader.json',
    threadCounts: [1, 2],
  });
  const machine = machineInfo();
  const startedAt = new Date().toISOString();
  console.error(
    `reader bench on ${describeMachine(machine)}, intra-op threads ${args.threadCounts.join(', ')}${args.quick ? ' (quick)' : ''}`,
  );
  const { rows, notes } = await runReaderBench(args);
  const table = readerBenchTable(rows);
  console.log(table);
  for (const note of notes) console.log(`note: ${note}`);
  if (args.out) {
    await writeBenchResult(args.out, {
      bench: 'reader',
      command: benchCommand(),
      startedAt,
      machine,
      settings: {
        model:
          'random-weight BERT-base QA (12 layers, hidden 768, vocab 21128), onnx/model.onnx and model_quantized.onnx',
        question: QUESTION,
        window: `${WINDOW} tokens, docStride 128, each passage fills exactly one window`,
        threads: args.threadCounts,
        quick: args.quick,
        workload: args.quick ? QUICK : FULL,
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
