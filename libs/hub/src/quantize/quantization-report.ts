/**
 * How much an INT8 model gives up and gains against its fp32 original: file size, throughput
 * and output agreement (embedding cosine, top-1 answer span, max logit difference), measured
 * by running both on the same inputs.
 */
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { cosineSimilarity } from '@wendao/encoder';
import { bertFeeds, createSession, TextTokenizer } from '@wendao/models';

export interface QuantizationReportOptions {
  /** Folder with config.json and tokenizer files; real sentences are used when its tokenizer loads. */
  dir?: string;
  /** Sequences compared (default 16). */
  samples?: number;
  /** Length of random-id sequences when no tokenizer is available (default 64). */
  sequenceLength?: number;
  batchSize?: number;
  /** Timed passes over the samples per model; 0 skips speed (default 0). */
  speedRuns?: number;
  threads?: number;
  seed?: number;
}

export interface ModelSide {
  path: string;
  bytes: number;
  /** Sequences (sentences for an embedder, windows for a reader) per second; absent when not timed. */
  sequencesPerSecond?: number;
}

export interface QuantizationReport {
  fp32: ModelSide;
  int8: ModelSide;
  /** From the model's outputs: what one sequence per second means (a QA window, a sentence). */
  task: 'qa' | 'classifier' | 'embedder';
  /** int8 bytes / fp32 bytes. */
  sizeRatio: number;
  /** int8 throughput / fp32 throughput. */
  speedup?: number;
  inputs: { source: 'tokenizer' | 'random-ids'; samples: number; sequenceLength: number; batchSize: number };
  /** Mean and minimum cosine between fp32 and int8 sentence vectors (embedding output, else mean-pooled hidden states). */
  embeddingCosine: { mean: number; min: number };
  /** QA models: share of samples whose best span is identical; classifiers: share with the same top label. */
  top1Agreement?: number;
  /** Largest absolute difference over start/end logits (QA) or class logits. */
  maxLogitDiff?: number;
}

const SAMPLE_SENTENCES = [
  '退货需要在签收后七天内提出申请。',
  '运费由谁承担？如果商品有质量问题，运费由我们承担。',
  '我的订单什么时候发货？一般在付款后48小时内发货。',
  '会员积分可以抵扣现金吗？每100积分可抵扣1元。',
  '如何修改收货地址？在订单详情页点击修改地址即可。',
  '发票可以开具增值税专用发票，请在下单时填写公司信息。',
  'How long does a refund take? Refunds are issued within 5 business days.',
  'Can I change my delivery address after the order has shipped?',
  'Our support team is available from 9am to 6pm, Monday to Friday.',
  'Shipping is free for orders over 99 yuan within mainland China.',
  'You can reset your password from the login page by clicking "Forgot password".',
  'Gift cards cannot be exchanged for cash or used to buy other gift cards.',
];

export async function compareQuantized(
  fp32Path: string,
  int8Path: string,
  options: QuantizationReportOptions = {},
): Promise<QuantizationReport> {
  const samples = options.samples ?? 16;
  const batchSize = options.batchSize ?? 8;
  const [fp32, int8] = await Promise.all([
    createSession(fp32Path, { threads: options.threads }),
    createSession(int8Path, { threads: options.threads }),
  ]);
  try {
    const { batches, source, sequenceLength } = await buildInputs(fp32, options, samples, batchSize);
    const outputsA: Record<string, Float32Array[]> = {};
    const outputsB: Record<string, Float32Array[]> = {};
    for (const batch of batches) {
      collect(outputsA, await fp32.run(batch.feeds));
      collect(outputsB, await int8.run(batch.feeds));
    }

    const report: QuantizationReport = {
      fp32: { path: fp32Path, bytes: (await stat(fp32Path)).size },
      int8: { path: int8Path, bytes: (await stat(int8Path)).size },
      task: outputsA.start_logits ? 'qa' : outputsA.logits ? 'classifier' : 'embedder',
      sizeRatio: 0,
      inputs: { source, samples, sequenceLength, batchSize },
      embeddingCosine: embeddingAgreement(fp32, outputsA, outputsB, batches),
    };
    report.sizeRatio = report.int8.bytes / report.fp32.bytes;
    if (outputsA.start_logits && outputsA.end_logits) {
      Object.assign(report, spanAgreement(outputsA, outputsB, batches));
    } else if (outputsA.logits) {
      Object.assign(report, labelAgreement(outputsA.logits, outputsB.logits, batches));
    }

    const runs = options.speedRuns ?? 0;
    if (runs > 0) {
      // Alternate the two models batch by batch so that load from other processes hits both alike.
      let timeA = 0;
      let timeB = 0;
      for (const batch of batches) {
        await fp32.run(batch.feeds);
        await int8.run(batch.feeds);
      }
      for (let r = 0; r < runs; r++) {
        for (const batch of batches) {
          timeA += await timeRun(fp32, batch);
          timeB += await timeRun(int8, batch);
        }
      }
      report.fp32.sequencesPerSecond = (runs * samples) / (timeA / 1000);
      report.int8.sequencesPerSecond = (runs * samples) / (timeB / 1000);
      report.speedup = report.int8.sequencesPerSecond / report.fp32.sequencesPerSecond;
    }
    return report;
  } finally {
    await Promise.all([fp32.release(), int8.release()]);
  }
}

interface Batch {
  feeds: Record<string, Tensor>;
  mask: number[][];
}

async function buildInputs(
  session: InferenceSession,
  options: QuantizationReportOptions,
  samples: number,
  batchSize: number,
): Promise<{ batches: Batch[]; source: 'tokenizer' | 'random-ids'; sequenceLength: number }> {
  let rows: number[][] | undefined;
  let source: 'tokenizer' | 'random-ids' = 'random-ids';
  if (options.dir && !options.sequenceLength) {
    try {
      const tokenizer = TextTokenizer.load(options.dir);
      const texts = Array.from({ length: samples }, (_, i) => SAMPLE_SENTENCES[i % SAMPLE_SENTENCES.length]);
      rows = (await tokenizer.encodeBatch(texts)).map((t) => t.ids);
      source = 'tokenizer';
    } catch {
      rows = undefined; // no usable tokenizer: random ids still compare the two graphs fairly
    }
  }
  const length = options.sequenceLength ?? 64;
  if (!rows) {
    const vocab = vocabSize(options.dir);
    let state = (options.seed ?? 1234) >>> 0;
    const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
    // Ids 0..99 are special/unused in BERT vocabularies; the [CLS]/[SEP] ids don't matter to agreement.
    const low = Math.min(100, vocab - 1);
    rows = Array.from({ length: samples }, () =>
      Array.from({ length }, () => low + (next() % (vocab - low))),
    );
  }
  const batches: Batch[] = [];
  for (let b = 0; b < rows.length; b += batchSize) {
    const chunk = rows.slice(b, b + batchSize);
    // Padding with id 0: both graphs see the same padded batch, so the pad id does not matter here.
    const { feeds, seqLength: width } = bertFeeds(
      chunk.map((ids) => ({ ids })),
      { padId: 0, tokenTypeIds: session.inputNames.includes('token_type_ids') },
    );
    const mask = chunk.map((r) => Array.from({ length: width }, (_, i) => (i < r.length ? 1 : 0)));
    for (const name of session.inputNames) {
      if (!feeds[name])
        throw new Error(`model input "${name}" is not one of input_ids/attention_mask/token_type_ids`);
    }
    batches.push({ feeds, mask });
  }
  return { batches, source, sequenceLength: Math.max(...rows.map((r) => r.length)) };
}

function vocabSize(dir: string | undefined): number {
  if (dir) {
    try {
      const config = JSON.parse(readFileSync(`${dir}/config.json`, 'utf8')) as { vocab_size?: number };
      if (typeof config.vocab_size === 'number' && config.vocab_size > 1) return config.vocab_size;
    } catch {
      // fall through to a vocabulary every BERT-family model has
    }
  }
  return 1000;
}

function collect(into: Record<string, Float32Array[]>, outputs: InferenceSession.OnnxValueMapType): void {
  for (const [name, value] of Object.entries(outputs)) {
    if (value.type !== 'float32') continue;
    (into[name] ??= []).push(value.data as Float32Array);
  }
}

function rowsOf(
  batches: Batch[],
  outputs: Float32Array[],
  perToken: boolean,
): Array<{ values: Float32Array; mask: number[] }> {
  const rows: Array<{ values: Float32Array; mask: number[] }> = [];
  batches.forEach((batch, b) => {
    const n = batch.mask.length;
    const size = outputs[b].length / n;
    for (let i = 0; i < n; i++) {
      rows.push({
        values: outputs[b].subarray(i * size, (i + 1) * size),
        mask: perToken ? batch.mask[i] : [],
      });
    }
  });
  return rows;
}

function embeddingAgreement(
  session: InferenceSession,
  a: Record<string, Float32Array[]>,
  b: Record<string, Float32Array[]>,
  batches: Batch[],
): { mean: number; min: number } {
  let vectorsA: Float32Array[];
  let vectorsB: Float32Array[];
  if (a.sentence_embedding) {
    vectorsA = rowsOf(batches, a.sentence_embedding, false).map((r) => r.values);
    vectorsB = rowsOf(batches, b.sentence_embedding, false).map((r) => r.values);
  } else {
    const name = a.last_hidden_state ? 'last_hidden_state' : session.outputNames[0];
    vectorsA = rowsOf(batches, a[name], true).map((r) => meanPool(r.values, r.mask));
    vectorsB = rowsOf(batches, b[name], true).map((r) => meanPool(r.values, r.mask));
  }
  const cosines = vectorsA.map((v, i) => cosineSimilarity(v, vectorsB[i]));
  return { mean: cosines.reduce((s, c) => s + c, 0) / cosines.length, min: Math.min(...cosines) };
}

function spanAgreement(
  a: Record<string, Float32Array[]>,
  b: Record<string, Float32Array[]>,
  batches: Batch[],
): { top1Agreement: number; maxLogitDiff: number } {
  const startA = rowsOf(batches, a.start_logits, true);
  const endA = rowsOf(batches, a.end_logits, true);
  const startB = rowsOf(batches, b.start_logits, true);
  const endB = rowsOf(batches, b.end_logits, true);
  let same = 0;
  let maxDiff = 0;
  for (let i = 0; i < startA.length; i++) {
    const mask = startA[i].mask;
    const spanA = bestSpan(startA[i].values, endA[i].values, mask);
    const spanB = bestSpan(startB[i].values, endB[i].values, mask);
    if (spanA[0] === spanB[0] && spanA[1] === spanB[1]) same++;
    for (let t = 0; t < mask.length; t++) {
      if (!mask[t]) continue;
      maxDiff = Math.max(
        maxDiff,
        Math.abs(startA[i].values[t] - startB[i].values[t]),
        Math.abs(endA[i].values[t] - endB[i].values[t]),
      );
    }
  }
  return { top1Agreement: same / startA.length, maxLogitDiff: maxDiff };
}

function labelAgreement(
  a: Float32Array[],
  b: Float32Array[],
  batches: Batch[],
): { top1Agreement: number; maxLogitDiff: number } {
  const rowsA = rowsOf(batches, a, false);
  const rowsB = rowsOf(batches, b, false);
  let same = 0;
  let maxDiff = 0;
  rowsA.forEach((row, i) => {
    if (argmax(row.values) === argmax(rowsB[i].values)) same++;
    row.values.forEach((v, j) => (maxDiff = Math.max(maxDiff, Math.abs(v - rowsB[i].values[j]))));
  });
  return { top1Agreement: same / rowsA.length, maxLogitDiff: maxDiff };
}

/** The highest start+end score with start <= end < start + 30 inside the real tokens, as a reader picks it. */
function bestSpan(start: Float32Array, end: Float32Array, mask: number[]): [number, number] {
  let best: [number, number] = [0, 0];
  let bestScore = -Infinity;
  for (let s = 0; s < mask.length; s++) {
    if (!mask[s]) continue;
    for (let e = s; e < Math.min(mask.length, s + 30); e++) {
      if (!mask[e]) continue;
      const score = start[s] + end[e];
      if (score > bestScore) {
        bestScore = score;
        best = [s, e];
      }
    }
  }
  return best;
}

function meanPool(values: Float32Array, mask: number[]): Float32Array {
  const hidden = values.length / mask.length;
  const out = new Float32Array(hidden);
  let count = 0;
  mask.forEach((m, t) => {
    if (!m) return;
    count++;
    for (let h = 0; h < hidden; h++) out[h] += values[t * hidden + h];
  });
  for (let h = 0; h < hidden; h++) out[h] /= Math.max(1, count);
  return out;
}

function argmax(values: Float32Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

async function timeRun(session: InferenceSession, batch: Batch): Promise<number> {
  const start = performance.now();
  await session.run(batch.feeds);
  return performance.now() - start;
}
