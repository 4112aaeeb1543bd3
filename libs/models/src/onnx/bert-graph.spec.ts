/**
 * Proof that the ONNX graph computes Hugging Face BERT: an independent float64 forward pass,
 * written here from the model's math and sharing nothing with the builder but the weights map,
 * must agree with onnxruntime's output to 1e-4 for every head and config variant.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnx } from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BertConfig,
  BertHead,
  BertWeights,
  buildBertOnnx,
  randomBertWeights,
  tinyBertConfig,
  writeRandomModel,
} from '@wendao/models';

type Matrix = number[][]; // [rows][cols], float64

interface Batch {
  ids: number[][];
  mask: number[][];
  types: number[][];
}

interface Reference {
  lastHidden: Matrix[]; // [batch][seq][hidden]
  sentence?: Matrix; // [batch][hidden]
  start?: Matrix; // [batch][seq]
  end?: Matrix;
  logits?: Matrix; // [batch][labels]
}

// torch.finfo(torch.float32).min, the value HF adds to masked attention scores.
const FLOAT32_MIN = -3.4028234663852886e38;

function param(w: BertWeights, name: string): { dims: number[]; at: (...idx: number[]) => number } {
  const t = w.get(name);
  if (!t) throw new Error(`reference: missing ${name}`);
  return {
    dims: t.dims,
    at: (...idx) => t.data[idx.length === 1 ? idx[0] : idx[0] * t.dims[1] + idx[1]],
  };
}

/** nn.Linear: y = x W^T + b with W stored [out, in]. */
function dense(x: number[], w: BertWeights, prefix: string): number[] {
  const W = param(w, `${prefix}.weight`);
  const b = param(w, `${prefix}.bias`);
  const [out, inp] = W.dims;
  const y = new Array<number>(out);
  for (let o = 0; o < out; o++) {
    let s = b.at(o);
    for (let i = 0; i < inp; i++) s += x[i] * W.at(o, i);
    y[o] = s;
  }
  return y;
}

function layerNorm(x: number[], w: BertWeights, prefix: string, eps: number): number[] {
  const g = param(w, `${prefix}.weight`);
  const b = param(w, `${prefix}.bias`);
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * g.at(i) + b.at(i));
}

/** erf via Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), ample for a 1e-4 comparison. */
function erf(x: number): number {
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  return sign * (1 - poly * Math.exp(-a * a));
}

function activate(x: number, act: BertConfig['hidden_act']): number {
  if (act === 'relu') return Math.max(0, x);
  if (act === 'gelu') return 0.5 * x * (1 + erf(x / Math.SQRT2));
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}

/** HF BertModel / RobertaModel forward pass for one sequence, plus the requested head. */
function referenceForward(config: BertConfig, w: BertWeights, batch: Batch, head: BertHead, pooling: 'mean' | 'cls'): Reference {
  const H = config.hidden_size;
  const heads = config.num_attention_heads;
  const d = H / heads;
  const eps = config.layer_norm_eps;
  const ref: Reference = { lastHidden: [] };
  const sentence: Matrix = [];
  const start: Matrix = [];
  const end: Matrix = [];
  const logits: Matrix = [];
  const roberta = config.model_type === 'roberta' || config.model_type === 'xlm-roberta';
  const word = param(w, 'embeddings.word_embeddings.weight');
  const pos = param(w, 'embeddings.position_embeddings.weight');

  for (let b = 0; b < batch.ids.length; b++) {
    const ids = batch.ids[b];
    const mask = batch.mask[b];
    const S = ids.length;
    // RoBERTa's create_position_ids_from_input_ids: count non-pad tokens, pads sit at padding_idx.
    let seen = 0;
    const positions = ids.map((id, s) => {
      if (!roberta) return s;
      if (id === config.pad_token_id) return config.pad_token_id;
      seen += 1;
      return config.pad_token_id + seen;
    });
    let h: Matrix = ids.map((id, s) => {
      const e = new Array<number>(H);
      for (let j = 0; j < H; j++) {
        e[j] = word.at(id, j) + pos.at(positions[s], j);
        if (config.type_vocab_size > 0) e[j] += param(w, 'embeddings.token_type_embeddings.weight').at(batch.types[b][s], j);
      }
      return layerNorm(e, w, 'embeddings.LayerNorm', eps);
    });

    for (let l = 0; l < config.num_hidden_layers; l++) {
      const p = `encoder.layer.${l}`;
      const q = h.map((x) => dense(x, w, `${p}.attention.self.query`));
      const k = h.map((x) => dense(x, w, `${p}.attention.self.key`));
      const v = h.map((x) => dense(x, w, `${p}.attention.self.value`));
      const context: Matrix = h.map(() => new Array<number>(H).fill(0));
      for (let hd = 0; hd < heads; hd++) {
        for (let i = 0; i < S; i++) {
          const scores = new Array<number>(S);
          for (let j = 0; j < S; j++) {
            let dot = 0;
            for (let c = hd * d; c < (hd + 1) * d; c++) dot += q[i][c] * k[j][c];
            scores[j] = dot / Math.sqrt(d) + (1 - mask[j]) * FLOAT32_MIN;
          }
          const max = Math.max(...scores);
          const exps = scores.map((s) => Math.exp(s - max));
          const total = exps.reduce((a, e) => a + e, 0);
          for (let j = 0; j < S; j++) {
            const pr = exps[j] / total;
            for (let c = hd * d; c < (hd + 1) * d; c++) context[i][c] += pr * v[j][c];
          }
        }
      }
      const attended = context.map((c, i) =>
        layerNorm(
          dense(c, w, `${p}.attention.output.dense`).map((y, j) => y + h[i][j]),
          w,
          `${p}.attention.output.LayerNorm`,
          eps,
        ),
      );
      h = attended.map((a) => {
        const inter = dense(a, w, `${p}.intermediate.dense`).map((x) => activate(x, config.hidden_act));
        return layerNorm(
          dense(inter, w, `${p}.output.dense`).map((y, j) => y + a[j]),
          w,
          `${p}.output.LayerNorm`,
          eps,
        );
      });
    }
    ref.lastHidden.push(h);

    if (head === 'embedder') {
      if (pooling === 'cls') {
        sentence.push(h[0]);
      } else {
        const count = Math.max(mask.reduce((a, m) => a + m, 0), 1e-9);
        sentence.push(Array.from({ length: H }, (_, j) => h.reduce((a, row, s) => a + row[j] * mask[s], 0) / count));
      }
    } else if (head === 'qa') {
      const both = h.map((x) => dense(x, w, 'qa_outputs'));
      start.push(both.map((pair) => pair[0]));
      end.push(both.map((pair) => pair[1]));
    } else if (head === 'classifier') {
      const pooled = dense(h[0], w, 'pooler.dense').map(Math.tanh);
      logits.push(dense(pooled, w, 'classifier'));
    }
  }
  if (head === 'embedder') ref.sentence = sentence;
  if (head === 'qa') Object.assign(ref, { start, end });
  if (head === 'classifier') ref.logits = logits;
  return ref;
}

const int64 = (rows: number[][]) =>
  new ort.Tensor('int64', BigInt64Array.from(rows.flat().map((v) => BigInt(v))), [rows.length, rows[0].length]);

async function runOnnx(model: Uint8Array, config: BertConfig, batch: Batch): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(model);
  const feeds: Record<string, ort.Tensor> = { input_ids: int64(batch.ids), attention_mask: int64(batch.mask) };
  if (config.type_vocab_size > 0) feeds.token_type_ids = int64(batch.types);
  return session.run(feeds);
}

function maxAbsDiff(actual: ort.Tensor, expected: number[] | number[][] | number[][][]): number {
  const flat = (expected as unknown[]).flat(2) as number[];
  const data = actual.data as Float32Array;
  expect(data.length).toBe(flat.length);
  let worst = 0;
  for (let i = 0; i < flat.length; i++) worst = Math.max(worst, Math.abs(data[i] - flat[i]));
  return worst;
}

/**
 * Two sequences of different lengths, the shorter one right-padded (mask 0, pad id), with a
 * second segment so token types matter.
 */
function paddedBatch(pad: number, types: boolean): Batch {
  const ids = [
    [2, 40, 41, 42, 3, 50, 51, 3],
    [2, 60, 61, 3, pad, pad, pad, pad],
  ];
  return {
    ids,
    mask: ids.map((row, b) => row.map((_, s) => (b === 1 && s >= 4 ? 0 : 1))),
    types: types ? [[0, 0, 0, 0, 0, 1, 1, 1], [0, 0, 0, 0, 0, 0, 0, 0]] : ids.map((row) => row.map(() => 0)),
  };
}

const TOLERANCE = 1e-4;

interface Case {
  title: string;
  config: Partial<BertConfig>;
  head: BertHead;
  pooling?: 'mean' | 'cls';
  numLabels?: number;
}

const cases: Case[] = [
  { title: 'embedder, mean pooling, gelu, token types', config: {}, head: 'embedder', pooling: 'mean' },
  { title: 'embedder, CLS pooling', config: {}, head: 'embedder', pooling: 'cls' },
  { title: 'extractive QA head', config: {}, head: 'qa' },
  { title: 'sequence classifier with 3 labels', config: {}, head: 'classifier', numLabels: 3 },
  { title: 'no token_type_ids input (type_vocab_size 0), relu', config: { type_vocab_size: 0, hidden_act: 'relu' }, head: 'embedder' },
  {
    title: 'RoBERTa position offset (pad id 1, positions from 2)',
    config: { model_type: 'roberta', pad_token_id: 1, type_vocab_size: 1, max_position_embeddings: 40, layer_norm_eps: 1e-5 },
    head: 'qa',
  },
  { title: 'gelu_new (tanh approximation), 3 layers', config: { hidden_act: 'gelu_new', num_hidden_layers: 3 }, head: 'embedder' },
];

describe('buildBertOnnx matches an independent HF BERT forward pass', () => {
  for (const c of cases) {
    it(c.title, async () => {
      const config = tinyBertConfig(c.config);
      // A larger init scale than HF's 0.02 makes attention peaky, so mask or scaling mistakes show up.
      const weights = randomBertWeights(config, { seed: 1234, head: c.head, numLabels: c.numLabels, scale: 0.3 });
      const batch = paddedBatch(config.pad_token_id, config.type_vocab_size > 1);
      const pooling = c.pooling ?? 'mean';
      const model = buildBertOnnx(config, weights, { head: c.head, pooling, numLabels: c.numLabels });
      const out = await runOnnx(model, config, batch);
      const ref = referenceForward(config, weights, batch, c.head, pooling);

      expect(out.last_hidden_state.dims).toEqual([2, 8, config.hidden_size]);
      expect(maxAbsDiff(out.last_hidden_state, ref.lastHidden)).toBeLessThan(TOLERANCE);
      if (c.head === 'embedder') {
        expect(out.sentence_embedding.dims).toEqual([2, config.hidden_size]);
        expect(maxAbsDiff(out.sentence_embedding, ref.sentence!)).toBeLessThan(TOLERANCE);
      }
      if (c.head === 'qa') {
        expect(out.start_logits.dims).toEqual([2, 8]);
        expect(maxAbsDiff(out.start_logits, ref.start!)).toBeLessThan(TOLERANCE);
        expect(maxAbsDiff(out.end_logits, ref.end!)).toBeLessThan(TOLERANCE);
      }
      if (c.head === 'classifier') {
        expect(out.logits.dims).toEqual([2, c.numLabels]);
        expect(maxAbsDiff(out.logits, ref.logits!)).toBeLessThan(TOLERANCE);
      }
    });
  }

  it('gives a padded sequence the same outputs as the same sequence alone', async () => {
    const config = tinyBertConfig();
    const weights = randomBertWeights(config, { seed: 5, head: 'embedder', scale: 0.3 });
    const model = buildBertOnnx(config, weights, { head: 'embedder' });
    const padded = paddedBatch(0, true);
    const alone: Batch = { ids: [padded.ids[1].slice(0, 4)], mask: [[1, 1, 1, 1]], types: [[0, 0, 0, 0]] };
    const a = await runOnnx(model, config, padded);
    const b = await runOnnx(model, config, alone);
    const H = config.hidden_size;
    const paddedRow = Array.from((a.sentence_embedding.data as Float32Array).subarray(H, 2 * H));
    expect(maxAbsDiff(b.sentence_embedding, paddedRow)).toBeLessThan(TOLERANCE);
    // ...while the reference itself does notice the mask: without it the padded row would differ.
    const unmasked = referenceForward(config, weights, { ...padded, mask: padded.mask.map((r) => r.map(() => 1)) }, 'embedder', 'mean');
    expect(maxAbsDiff(b.sentence_embedding, unmasked.sentence![1])).toBeGreaterThan(1e-2);
  });

  it('names a missing or mis-shaped weight', () => {
    const config = tinyBertConfig();
    const weights = randomBertWeights(config, { seed: 1, head: 'qa' });
    expect(() => buildBertOnnx(config, weights, { head: 'classifier' })).toThrow(/missing weight "pooler.dense.weight"/);
    weights.set('encoder.layer.1.output.dense.weight', { dims: [32, 32], data: new Float32Array(32 * 32) });
    expect(() => buildBertOnnx(config, weights, { head: 'qa' })).toThrow(/encoder.layer.1.output.dense.weight.*\[32,32\].*\[32,64\]/);
  });
});

describe('writeRandomModel', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wendao-random-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes MiniLM-L12-H384 shapes: 12 layers, hidden 384, vocab 21128', async () => {
    await writeRandomModel(dir, { preset: 'minilm-l12-h384', head: 'embedder', seed: 3 });
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ hidden_size: 384, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 1536, vocab_size: 21128 });
    const vocab = (await readFile(join(dir, 'vocab.txt'), 'utf8')).trimEnd().split('\n');
    expect(vocab).toHaveLength(21128);
    expect(new Set(vocab).size).toBe(21128);

    const bytes = await readFile(join(dir, 'model.onnx'));
    const graph = onnx.ModelProto.decode(bytes).graph!;
    const layers = new Set(graph.initializer!.map((t) => /^encoder\.layer\.(\d+)\./.exec(t.name!)?.[1]).filter(Boolean));
    expect(layers.size).toBe(12);

    const session = await ort.InferenceSession.create(bytes);
    const out = await session.run({
      input_ids: int64([[2, 100, 200, 300, 3]]),
      attention_mask: int64([[1, 1, 1, 1, 1]]),
      token_type_ids: int64([[0, 0, 0, 0, 0]]),
    });
    expect(out.last_hidden_state.dims).toEqual([1, 5, 384]);
    expect(out.sentence_embedding.dims).toEqual([1, 384]);
  });
});
