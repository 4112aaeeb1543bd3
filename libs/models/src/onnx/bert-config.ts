/**
 * The BERT-family hyper-parameters the ONNX builder understands: a subset of a Hugging Face
 * config.json, spelled in snake_case exactly as HF writes it so real configs load unchanged.
 */
import { tinyVocab } from './tiny-vocab';

export interface BertConfig {
  model_type: 'bert' | 'roberta' | 'distilbert' | 'xlm-roberta' | 'electra';
  vocab_size: number;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  intermediate_size: number;
  max_position_embeddings: number;
  /** 0 means the model has no token_type_ids input (DistilBERT style). */
  type_vocab_size: number;
  layer_norm_eps: number;
  hidden_act: 'gelu' | 'gelu_new' | 'relu';
  pad_token_id: number;
  /** RoBERTa: position ids start at pad_token_id + 1 and padding tokens take position pad_token_id. */
  position_offset?: number;
  architectures?: string[];
}

/** Which outputs the graph carries on top of last_hidden_state. */
export type BertHead = 'base' | 'embedder' | 'qa' | 'classifier';

export type BertPreset = 'minilm-l12-h384' | 'bert-base';

/** A tiny shape for tests: fast to build and run, still multi-layer and multi-head. */
export function tinyBertConfig(overrides: Partial<BertConfig> = {}): BertConfig {
  return validateBertConfig({
    model_type: 'bert',
    vocab_size: tinyVocab().length,
    hidden_size: 32,
    num_hidden_layers: 2,
    num_attention_heads: 4,
    intermediate_size: 64,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    hidden_act: 'gelu',
    pad_token_id: 0,
    ...overrides,
  });
}

/**
 * Real model shapes for benchmarks. The vocabulary is bert-base-chinese's 21128 for both,
 * because MiniLM's multilingual 250k vocab only inflates the embedding table, not the compute.
 */
export function presetBertConfig(preset: BertPreset): BertConfig {
  const common = {
    model_type: 'bert' as const,
    vocab_size: 21128,
    max_position_embeddings: 512,
    type_vocab_size: 2,
    layer_norm_eps: 1e-12,
    hidden_act: 'gelu' as const,
    pad_token_id: 0,
  };
  switch (preset) {
    case 'minilm-l12-h384':
      return { ...common, hidden_size: 384, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 1536 };
    case 'bert-base':
      return { ...common, hidden_size: 768, num_hidden_layers: 12, num_attention_heads: 12, intermediate_size: 3072 };
    default:
      throw new Error(`unknown model preset "${String(preset)}" (expected minilm-l12-h384 or bert-base)`);
  }
}

/** The first position id of a real token: RoBERTa-style configs shift positions past the padding id. */
export function positionOffsetOf(config: BertConfig): number {
  if (config.position_offset !== undefined) return config.position_offset;
  return config.model_type === 'roberta' || config.model_type === 'xlm-roberta' ? config.pad_token_id + 1 : 0;
}

/** Throws a clear error for configs the graph cannot represent. Returns the config for chaining. */
export function validateBertConfig(config: BertConfig): BertConfig {
  const positive = ['hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'max_position_embeddings'] as const;
  for (const key of positive) {
    if (!Number.isInteger(config[key]) || config[key] <= 0) {
      throw new Error(`BertConfig.${key} must be a positive integer, got ${String(config[key])}`);
    }
  }
  if (!Number.isInteger(config.vocab_size) || config.vocab_size < 1) {
    throw new Error(`BertConfig.vocab_size must be a positive integer, got ${String(config.vocab_size)}`);
  }
  if (!Number.isInteger(config.type_vocab_size) || config.type_vocab_size < 0) {
    throw new Error(`BertConfig.type_vocab_size must be an integer >= 0, got ${String(config.type_vocab_size)}`);
  }
  if (config.hidden_size % config.num_attention_heads !== 0) {
    throw new Error(
      `BertConfig.hidden_size ${config.hidden_size} is not divisible by num_attention_heads ${config.num_attention_heads}`,
    );
  }
  if (!['gelu', 'gelu_new', 'relu'].includes(config.hidden_act)) {
    throw new Error(`BertConfig.hidden_act "${String(config.hidden_act)}" is not supported (gelu, gelu_new, relu)`);
  }
  if (!(config.layer_norm_eps > 0)) throw new Error(`BertConfig.layer_norm_eps must be > 0`);
  const offset = positionOffsetOf(config);
  if (!Number.isInteger(offset) || offset < 0 || offset >= config.max_position_embeddings) {
    throw new Error(`BertConfig.position_offset ${offset} is outside max_position_embeddings ${config.max_position_embeddings}`);
  }
  return config;
}
