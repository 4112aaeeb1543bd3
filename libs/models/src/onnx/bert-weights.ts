/**
 * BERT parameters by their Hugging Face names (BertModel without the "bert." prefix), in HF
 * layouts (Linear weight = [out, in]), plus a seeded random initialiser that mimics HF's init.
 * A checkpoint converter fills the same map from real weights.
 */
import { BertConfig, BertHead, validateBertConfig } from './bert-config';
import { SeededRandom } from '@wendao/random';

export interface Tensor32 {
  dims: number[];
  data: Float32Array;
}

export type BertWeights = Map<string, Tensor32>;

export interface BertWeightOptions {
  head: BertHead;
  numLabels?: number;
}

export const DEFAULT_NUM_LABELS = 2;

/** Every parameter the graph for this config/head reads, with its HF shape, in a stable order. */
export function bertWeightShapes(config: BertConfig, opts: BertWeightOptions): Map<string, number[]> {
  const H = config.hidden_size;
  const I = config.intermediate_size;
  const shapes = new Map<string, number[]>();
  const linear = (prefix: string, out: number, inp: number) => {
    shapes.set(`${prefix}.weight`, [out, inp]);
    shapes.set(`${prefix}.bias`, [out]);
  };
  const layerNorm = (prefix: string) => {
    shapes.set(`${prefix}.weight`, [H]);
    shapes.set(`${prefix}.bias`, [H]);
  };
  shapes.set('embeddings.word_embeddings.weight', [config.vocab_size, H]);
  shapes.set('embeddings.position_embeddings.weight', [config.max_position_embeddings, H]);
  if (config.type_vocab_size > 0) shapes.set('embeddings.token_type_embeddings.weight', [config.type_vocab_size, H]);
  layerNorm('embeddings.LayerNorm');
  for (let i = 0; i < config.num_hidden_layers; i++) {
    const p = `encoder.layer.${i}`;
    linear(`${p}.attention.self.query`, H, H);
    linear(`${p}.attention.self.key`, H, H);
    linear(`${p}.attention.self.value`, H, H);
    linear(`${p}.attention.output.dense`, H, H);
    layerNorm(`${p}.attention.output.LayerNorm`);
    linear(`${p}.intermediate.dense`, I, H);
    linear(`${p}.output.dense`, H, I);
    layerNorm(`${p}.output.LayerNorm`);
  }
  if (opts.head === 'qa') linear('qa_outputs', 2, H);
  if (opts.head === 'classifier') {
    const labels = opts.numLabels ?? DEFAULT_NUM_LABELS;
    if (!Number.isInteger(labels) || labels < 1) throw new Error(`numLabels must be a positive integer, got ${labels}`);
    linear('pooler.dense', H, H);
    linear('classifier', labels, H);
  }
  return shapes;
}

/**
 * Random weights shaped like a real checkpoint. Matrices ~ N(0, scale) as HF's initializer_range
 * (0.02 by default); LayerNorm gains near 1 and small biases are random rather than 1/0 so a
 * forward-pass check notices a builder that ignores them.
 */
export function randomBertWeights(
  config: BertConfig,
  opts: { seed: number; head: BertHead; numLabels?: number; scale?: number },
): BertWeights {
  validateBertConfig(config);
  const std = opts.scale ?? 0.02;
  if (!(std > 0)) throw new Error(`scale must be > 0, got ${opts.scale}`);
  const rng = new SeededRandom(opts.seed);
  const weights: BertWeights = new Map();
  for (const [name, dims] of bertWeightShapes(config, opts)) {
    const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
    if (name.includes('LayerNorm.weight')) {
      for (let i = 0; i < data.length; i++) data[i] = 1 + rng.normal(0, 0.1);
    } else if (name.includes('LayerNorm.bias')) {
      rng.fillNormal(data, 0, 0.1);
    } else {
      rng.fillNormal(data, 0, std);
    }
    weights.set(name, { dims, data });
  }
  return weights;
}

/** Throws naming the first missing or mis-shaped parameter, so converter bugs surface early. */
export function checkBertWeights(config: BertConfig, weights: BertWeights, opts: BertWeightOptions): void {
  for (const [name, dims] of bertWeightShapes(config, opts)) {
    const tensor = weights.get(name);
    if (!tensor) throw new Error(`missing weight "${name}" (expected shape [${dims}])`);
    if (tensor.dims.length !== dims.length || tensor.dims.some((d, i) => d !== dims[i])) {
      throw new Error(`weight "${name}" has shape [${tensor.dims}], expected [${dims}]`);
    }
    if (tensor.data.length !== dims.reduce((a, b) => a * b, 1)) {
      throw new Error(`weight "${name}" holds ${tensor.data.length} values for shape [${dims}]`);
    }
  }
}
