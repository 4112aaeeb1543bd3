/**
 * Per-architecture knowledge the converter needs: how a Hugging Face config.json maps onto the
 * ONNX builder's BertConfig, and how each family names its parameters relative to BertModel's
 * ("roberta." prefixes, DistilBERT's q_lin/sa_layer_norm, RoBERTa's classification head ...).
 */
import type { BertConfig, BertHead } from './bert-config';

export type SupportedModelType = BertConfig['model_type'];

export interface ArchitectureMapping {
  modelType: SupportedModelType;
  config: BertConfig;
  /** Checkpoint tensor name -> BertModel name (undefined: not used by the graph). */
  rename(name: string): string | undefined;
}

type HfConfig = Record<string, unknown>;

const DISTILBERT_LAYER_NAMES: Array<[string, string]> = [
  ['attention.q_lin', 'attention.self.query'],
  ['attention.k_lin', 'attention.self.key'],
  ['attention.v_lin', 'attention.self.value'],
  ['attention.out_lin', 'attention.output.dense'],
  ['sa_layer_norm', 'attention.output.LayerNorm'],
  ['ffn.lin1', 'intermediate.dense'],
  ['ffn.lin2', 'output.dense'],
  ['output_layer_norm', 'output.LayerNorm'],
];

/** Heads whose math equals BertModel's; everything else is refused with the reason. */
export function architectureMapping(hf: HfConfig, head: BertHead): ArchitectureMapping {
  const modelType = String(hf.model_type ?? '');
  switch (modelType) {
    case 'bert':
      return { modelType, config: bertLikeConfig(hf, 'bert'), rename: prefixed(['bert.']) };
    case 'roberta':
    case 'xlm-roberta':
      return { modelType, config: bertLikeConfig(hf, modelType), rename: robertaRename(head) };
    case 'electra': {
      const embeddingSize = hf.embedding_size ?? hf.hidden_size;
      if (embeddingSize !== hf.hidden_size) {
        throw new Error(
          `ELECTRA with embedding_size ${String(embeddingSize)} != hidden_size ${String(hf.hidden_size)} needs an embeddings projection the ONNX builder does not have`,
        );
      }
      if (head === 'classifier') {
        throw new Error(
          'ELECTRA sequence classifiers use a GELU classification head, which the ONNX builder does not have',
        );
      }
      return { modelType, config: bertLikeConfig(hf, 'electra'), rename: prefixed(['electra.']) };
    }
    case 'distilbert': {
      if (head === 'classifier') {
        throw new Error(
          'DistilBERT sequence classifiers use pre_classifier + ReLU, which the ONNX builder does not have',
        );
      }
      // sinusoidal_pos_embds needs nothing special: the checkpoint stores the computed table as a weight.
      return { modelType, config: distilbertConfig(hf), rename: distilbertRename };
    }
    default:
      throw new Error(
        `model_type "${modelType}" is not supported: Wendao converts bert, roberta, xlm-roberta, distilbert and electra checkpoints`,
      );
  }
}

function bertLikeConfig(hf: HfConfig, modelType: SupportedModelType): BertConfig {
  const positionType = hf.position_embedding_type ?? 'absolute';
  if (positionType !== 'absolute') {
    throw new Error(`position_embedding_type "${String(positionType)}" is not supported (only absolute)`);
  }
  return {
    model_type: modelType,
    vocab_size: num(hf, 'vocab_size'),
    hidden_size: num(hf, 'hidden_size'),
    num_hidden_layers: num(hf, 'num_hidden_layers'),
    num_attention_heads: num(hf, 'num_attention_heads'),
    intermediate_size: num(hf, 'intermediate_size'),
    max_position_embeddings: num(hf, 'max_position_embeddings'),
    type_vocab_size: typeof hf.type_vocab_size === 'number' ? hf.type_vocab_size : 2,
    layer_norm_eps: typeof hf.layer_norm_eps === 'number' ? hf.layer_norm_eps : 1e-12,
    hidden_act: activation(hf.hidden_act ?? 'gelu'),
    pad_token_id:
      typeof hf.pad_token_id === 'number' ? hf.pad_token_id : modelType.includes('roberta') ? 1 : 0,
    architectures: Array.isArray(hf.architectures) ? hf.architectures.map(String) : undefined,
  };
}

function distilbertConfig(hf: HfConfig): BertConfig {
  return {
    model_type: 'distilbert',
    vocab_size: num(hf, 'vocab_size'),
    hidden_size: num(hf, 'dim'),
    num_hidden_layers: num(hf, 'n_layers'),
    num_attention_heads: num(hf, 'n_heads'),
    intermediate_size: num(hf, 'hidden_dim'),
    max_position_embeddings: num(hf, 'max_position_embeddings'),
    type_vocab_size: 0,
    // DistilBERT hard-codes its LayerNorm eps.
    layer_norm_eps: 1e-12,
    hidden_act: activation(hf.activation ?? 'gelu'),
    pad_token_id: typeof hf.pad_token_id === 'number' ? hf.pad_token_id : 0,
    architectures: Array.isArray(hf.architectures) ? hf.architectures.map(String) : undefined,
  };
}

function activation(value: unknown): BertConfig['hidden_act'] {
  if (value === 'gelu' || value === 'gelu_new' || value === 'relu') return value;
  throw new Error(`hidden_act "${String(value)}" is not supported (gelu, gelu_new, relu)`);
}

function num(hf: HfConfig, key: string): number {
  const value = hf[key];
  if (typeof value !== 'number') throw new Error(`config.json lacks a numeric "${key}"`);
  return value;
}

const HEAD_PREFIXES = ['qa_outputs.', 'classifier.'];

/** Strips the base-model prefix; heads sit at the top level in every HF *For* class. */
function prefixed(prefixes: string[]): (name: string) => string | undefined {
  return (name) => {
    if (HEAD_PREFIXES.some((p) => name.startsWith(p))) return name;
    for (const prefix of prefixes) if (name.startsWith(prefix)) return name.slice(prefix.length);
    return name.startsWith('embeddings.') || name.startsWith('encoder.') || name.startsWith('pooler.')
      ? name
      : undefined;
  };
}

function robertaRename(head: BertHead): (name: string) => string | undefined {
  const base = prefixed(['roberta.']);
  return (name) => {
    if (head === 'classifier') {
      // RobertaClassificationHead = dense + tanh on <s>, then out_proj: BERT's pooler + classifier.
      if (name.startsWith('classifier.dense.')) return name.replace('classifier.dense.', 'pooler.dense.');
      if (name.startsWith('classifier.out_proj.')) return name.replace('classifier.out_proj.', 'classifier.');
      if (name.startsWith('roberta.pooler.') || name.startsWith('pooler.')) return undefined;
    }
    return base(name);
  };
}

function distilbertRename(name: string): string | undefined {
  if (name.startsWith('qa_outputs.')) return name;
  const bare = name.startsWith('distilbert.') ? name.slice('distilbert.'.length) : name;
  if (bare.startsWith('embeddings.')) return bare;
  const layer = /^transformer\.layer\.(\d+)\.(.+)$/.exec(bare);
  if (!layer) return undefined;
  for (const [from, to] of DISTILBERT_LAYER_NAMES) {
    if (layer[2].startsWith(`${from}.`))
      return `encoder.layer.${layer[1]}.${to}${layer[2].slice(from.length)}`;
  }
  return undefined;
}
