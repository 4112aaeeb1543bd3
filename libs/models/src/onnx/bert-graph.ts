/**
 * Builds a BERT-family encoder as an ONNX graph (opset 17) with the exact semantics of Hugging
 * Face's BertModel (post-LN layers, additive finfo.min attention mask) plus an optional head:
 * mean/CLS sentence embedding, extractive-QA start/end logits, or pooler + sequence classifier.
 */
import { BertConfig, BertHead, positionOffsetOf, validateBertConfig } from './bert-config';
import { BertWeights, checkBertWeights, DEFAULT_NUM_LABELS, Tensor32 } from './bert-weights';
import { OnnxGraphBuilder } from './onnx-graph-builder';

export interface BuildBertOptions {
  head: BertHead;
  /** Sentence-embedding pooling for head 'embedder' (default 'mean'). */
  pooling?: 'mean' | 'cls';
  numLabels?: number;
}

/** HF fills masked attention scores with torch.finfo(float32).min; using the same keeps parity. */
const ATTENTION_MASK_FILL = -3.4028234663852886e38;

const BATCH = 'batch';
const SEQUENCE = 'sequence';

export function buildBertOnnx(config: BertConfig, weights: BertWeights, opts: BuildBertOptions): Uint8Array {
  validateBertConfig(config);
  if (!['base', 'embedder', 'qa', 'classifier'].includes(opts.head)) {
    throw new Error(`unknown BERT head "${String(opts.head)}" (base, embedder, qa, classifier)`);
  }
  const pooling = opts.pooling ?? 'mean';
  if (pooling !== 'mean' && pooling !== 'cls') throw new Error(`unknown pooling "${String(pooling)}" (mean, cls)`);
  const numLabels = opts.numLabels ?? inferNumLabels(weights) ?? DEFAULT_NUM_LABELS;
  checkBertWeights(config, weights, { head: opts.head, numLabels });

  const g = new OnnxGraphBuilder('bert');
  const graph = new BertGraph(g, config, weights);
  const hidden = graph.encoder();
  g.op('Identity', [hidden], { output: 'last_hidden_state' });
  g.addOutput('last_hidden_state', 'float32', [BATCH, SEQUENCE, config.hidden_size]);

  if (opts.head === 'embedder') {
    const pooled = pooling === 'cls' ? graph.clsToken(hidden) : graph.meanPool(hidden);
    g.op('Identity', [pooled], { output: 'sentence_embedding' });
    g.addOutput('sentence_embedding', 'float32', [BATCH, config.hidden_size]);
  } else if (opts.head === 'qa') {
    const logits = graph.linear(hidden, 'qa_outputs'); // [B, S, 2]
    g.op('Gather', [logits, g.constInt64('zero', [0], [])], { output: 'start_logits', attributes: { axis: 2 } });
    g.op('Gather', [logits, g.constInt64('one', [1], [])], { output: 'end_logits', attributes: { axis: 2 } });
    g.addOutput('start_logits', 'float32', [BATCH, SEQUENCE]);
    g.addOutput('end_logits', 'float32', [BATCH, SEQUENCE]);
  } else if (opts.head === 'classifier') {
    const pooled = g.op('Tanh', [graph.linear(graph.clsToken(hidden), 'pooler.dense')]);
    g.op('Identity', [graph.linear(pooled, 'classifier')], { output: 'logits' });
    g.addOutput('logits', 'float32', [BATCH, numLabels]);
  }

  return g.serialize({
    docString: `${config.model_type} encoder, head ${opts.head}`,
    metadata: {
      model_type: config.model_type,
      head: opts.head,
      ...(opts.head === 'embedder' ? { pooling } : {}),
    },
  });
}

function inferNumLabels(weights: BertWeights): number | undefined {
  return weights.get('classifier.weight')?.dims[0];
}

/** Graph-building state for one model: the builder, config, weights and shared sub-results. */
class BertGraph {
  protected readonly maskFloat: string; // [B, S] float 1/0
  protected readonly headDim: number;

  constructor(
    protected readonly g: OnnxGraphBuilder,
    protected readonly config: BertConfig,
    protected readonly weights: BertWeights,
    /** Shape of input_ids and token_type_ids: [batch, sequence], or [tokens] for the packed graph. */
    tokenShape: string[] = [BATCH, SEQUENCE],
  ) {
    g.addInput('input_ids', 'int64', tokenShape);
    g.addInput('attention_mask', 'int64', [BATCH, SEQUENCE]);
    if (config.type_vocab_size > 0) g.addInput('token_type_ids', 'int64', tokenShape);
    this.maskFloat = g.op('Cast', ['attention_mask'], { attributes: { to: 1 /* FLOAT */ } });
    this.headDim = config.hidden_size / config.num_attention_heads;
  }

  encoder(): string {
    let h = this.embeddings();
    const mask = this.additiveMask();
    for (let i = 0; i < this.config.num_hidden_layers; i++) h = this.layer(h, mask, `encoder.layer.${i}`);
    return h;
  }

  protected embeddings(): string {
    const g = this.g;
    const words = g.op('Gather', [this.param('embeddings.word_embeddings.weight'), 'input_ids'], { name: 'word_embeddings' });
    let sum = g.op('Add', [words, this.positionEmbeddings()]);
    if (this.config.type_vocab_size > 0) {
      const types = g.op('Gather', [this.param('embeddings.token_type_embeddings.weight'), 'token_type_ids'], {
        name: 'token_type_embeddings',
      });
      sum = g.op('Add', [sum, types]);
    }
    return this.layerNorm(sum, 'embeddings.LayerNorm');
  }

  /**
   * BERT: rows 0..S-1 of the table. RoBERTa (offset > 0): HF's create_position_ids_from_input_ids,
   * i.e. real tokens count up from the offset and padding tokens take position offset - 1 (= pad id).
   */
  protected positionEmbeddings(): string {
    const g = this.g;
    const table = this.param('embeddings.position_embeddings.weight');
    const offset = positionOffsetOf(this.config);
    if (offset === 0) {
      const seqLen = g.op('Shape', ['input_ids'], { attributes: { start: 1, end: 2 } });
      return g.op('Slice', [table, g.constInt64('pos_start', [0]), seqLen, g.constInt64('pos_axes', [0])], {
        name: 'position_embeddings',
      }); // [S, H], broadcast over the batch
    }
    const isPad = g.op('Equal', ['input_ids', g.constInt64('pad_id', [this.config.pad_token_id], [])]);
    const notPad = g.op('Cast', [g.op('Not', [isPad])], { attributes: { to: 7 /* INT64 */ } });
    const counted = g.op('CumSum', [notPad, g.constInt64('seq_axis', [1], [])]);
    const ids = g.op('Add', [g.op('Mul', [counted, notPad]), g.constInt64('pos_base', [offset - 1], [])]);
    return g.op('Gather', [table, ids], { name: 'position_embeddings' });
  }

  /** [B, 1, 1, S]: 0 where attended, finfo.min where masked, added to every head's scores. */
  protected additiveMask(): string {
    const g = this.g;
    const m = g.op('Unsqueeze', [this.maskFloat, g.constInt64('mask_axes', [1, 2])]);
    const inverted = g.op('Sub', [g.constFloat('one_f', [1], []), m]);
    return g.op('Mul', [inverted, g.constFloat('mask_fill', [ATTENTION_MASK_FILL], [])], { name: 'attention_bias' });
  }

  protected layer(input: string, mask: string, p: string): string {
    const g = this.g;
    const { num_attention_heads: heads, hidden_size: hidden } = this.config;
    const splitShape = g.constInt64('split_heads_shape', [0, 0, heads, this.headDim]);
    const toHeads = (x: string, perm: number[]) =>
      g.op('Transpose', [g.op('Reshape', [x, splitShape])], { attributes: { perm } });

    const q = toHeads(this.linear(input, `${p}.attention.self.query`), [0, 2, 1, 3]); // [B, h, S, d]
    const kT = toHeads(this.linear(input, `${p}.attention.self.key`), [0, 2, 3, 1]); // [B, h, d, S]
    const v = toHeads(this.linear(input, `${p}.attention.self.value`), [0, 2, 1, 3]);
    const context = g.op('Transpose', [this.attend(q, kT, v, mask)], { attributes: { perm: [0, 2, 1, 3] } });
    const merged = g.op('Reshape', [context, g.constInt64('merge_heads_shape', [0, 0, hidden])]);
    return this.afterAttention(merged, input, p);
  }

  /** softmax(q kT / sqrt(d) + mask) v over [B, h, S, d] heads. */
  protected attend(q: string, kT: string, v: string, mask: string): string {
    const g = this.g;
    const scores = g.op('Div', [g.op('MatMul', [q, kT]), g.constFloat('sqrt_head_dim', [Math.sqrt(this.headDim)], [])]);
    const probs = g.op('Softmax', [g.op('Add', [scores, mask])], { attributes: { axis: -1 } });
    return g.op('MatMul', [probs, v]);
  }

  /** Output projection, residual + LayerNorm, feed-forward, residual + LayerNorm: all per token. */
  protected afterAttention(merged: string, input: string, p: string): string {
    const g = this.g;
    const attended = this.layerNorm(
      g.op('Add', [this.linear(merged, `${p}.attention.output.dense`), input]),
      `${p}.attention.output.LayerNorm`,
    );
    const intermediate = this.activation(this.linear(attended, `${p}.intermediate.dense`));
    return this.layerNorm(g.op('Add', [this.linear(intermediate, `${p}.output.dense`), attended]), `${p}.output.LayerNorm`);
  }

  /** x @ W^T + b with W stored [in, out] so MatMul needs no runtime transpose. */
  linear(x: string, prefix: string): string {
    const g = this.g;
    const name = `${prefix}.weight.T`;
    if (!g.hasName(name)) {
      const w = this.weights.get(`${prefix}.weight`) as Tensor32;
      g.addInitializer(name, 'float32', [w.dims[1], w.dims[0]], transpose2d(w));
    }
    return g.op('Add', [g.op('MatMul', [x, name], { name: `${prefix}.matmul` }), this.param(`${prefix}.bias`)], {
      name: `${prefix}.add`,
    });
  }

  protected layerNorm(x: string, prefix: string): string {
    return this.g.op('LayerNormalization', [x, this.param(`${prefix}.weight`), this.param(`${prefix}.bias`)], {
      name: prefix,
      attributes: { axis: -1, epsilon: { float: this.config.layer_norm_eps } },
    });
  }

  protected activation(x: string): string {
    const g = this.g;
    switch (this.config.hidden_act) {
      case 'relu':
        return g.op('Relu', [x]);
      case 'gelu': {
        // Exact GELU: 0.5 x (1 + erf(x / sqrt 2)); opset 17 has no Gelu op.
        const erf = g.op('Erf', [g.op('Div', [x, g.constFloat('sqrt2', [Math.SQRT2], [])])]);
        const onePlus = g.op('Add', [erf, g.constFloat('one_f', [1], [])]);
        return g.op('Mul', [g.op('Mul', [x, onePlus]), g.constFloat('half', [0.5], [])]);
      }
      case 'gelu_new': {
        // Tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
        const cube = g.op('Mul', [g.op('Mul', [x, x]), x]);
        const inner = g.op('Add', [x, g.op('Mul', [cube, g.constFloat('gelu_c', [0.044715], [])])]);
        const t = g.op('Tanh', [g.op('Mul', [inner, g.constFloat('sqrt_2_over_pi', [Math.sqrt(2 / Math.PI)], [])])]);
        const onePlus = g.op('Add', [t, g.constFloat('one_f', [1], [])]);
        return g.op('Mul', [g.op('Mul', [x, onePlus]), g.constFloat('half', [0.5], [])]);
      }
      default:
        throw new Error(`unsupported hidden_act "${String(this.config.hidden_act)}"`);
    }
  }

  /** [B, S, H] -> [B, H], the first ([CLS]) token. */
  clsToken(hidden: string): string {
    return this.g.op('Gather', [hidden, this.g.constInt64('cls_index', [0], [])], { attributes: { axis: 1 } });
  }

  /** sentence-transformers mean pooling: sum of attended tokens / max(count, 1e-9). */
  meanPool(hidden: string): string {
    const g = this.g;
    const m = g.op('Unsqueeze', [this.maskFloat, g.constInt64('pool_axes', [2])]); // [B, S, 1]
    const axes = g.constInt64('reduce_seq', [1]);
    const summed = g.op('ReduceSum', [g.op('Mul', [hidden, m]), axes], { attributes: { keepdims: 0 } });
    const count = g.op('ReduceSum', [m, axes], { attributes: { keepdims: 0 } }); // [B, 1]
    const safe = g.op('Max', [count, g.constFloat('min_count', [1e-9], [])]);
    return g.op('Div', [summed, safe], { name: 'mean_pooling' });
  }

  protected param(name: string): string {
    if (!this.g.hasName(name)) {
      const t = this.weights.get(name) as Tensor32;
      this.g.addInitializer(name, 'float32', t.dims, t.data);
    }
    return name;
  }
}

/** Names of the packed graph's inputs beyond input_ids, attention_mask and token_type_ids. */
export const PACKED_INPUTS = {
  positionIds: 'position_ids',
  queryRows: 'query_rows',
  keyRows: 'key_rows',
  valueRows: 'value_rows',
  tokenRows: 'token_rows',
} as const;

/**
 * The same encoder as buildBertOnnx(config, weights, { head: 'base' }) laid out without padding:
 * the batch's real tokens are concatenated ([tokens] inputs, last_hidden_state [tokens, hidden]),
 * so every per-token operation (the projections, feed-forward, LayerNorms: nearly all the compute)
 * runs on real tokens only. Attention alone needs whole sequences: each layer gathers the fused
 * Q/K/V rows of its heads into padded [batch, heads, sequence, head_dim] blocks (query_rows,
 * key_rows, value_rows), attends with the [batch, sequence] mask, and gathers the context back to
 * tokens (token_rows). The gathers also do the head transposes. packedBertFeeds builds the inputs.
 * Head 'base' outputs last_hidden_state [tokens, hidden]; 'qa' start_logits and end_logits [tokens].
 */
export function buildPackedBertOnnx(
  config: BertConfig,
  weights: BertWeights,
  opts: { head?: PackedBertHead } = {},
): Uint8Array {
  const head = opts.head ?? 'base';
  if (head !== 'base' && head !== 'qa') throw new Error(`unknown packed BERT head "${String(head)}" (base, qa)`);
  validateBertConfig(config);
  checkBertWeights(config, weights, { head });
  const g = new OnnxGraphBuilder('bert_packed');
  const graph = new PackedBertGraph(g, config, weights);
  const hidden = graph.encoder();
  if (head === 'qa') {
    const logits = graph.linear(hidden, 'qa_outputs'); // [tokens, 2]
    g.op('Gather', [logits, g.constInt64('zero', [0], [])], { output: 'start_logits', attributes: { axis: 1 } });
    g.op('Gather', [logits, g.constInt64('one', [1], [])], { output: 'end_logits', attributes: { axis: 1 } });
    g.addOutput('start_logits', 'float32', [TOKENS]);
    g.addOutput('end_logits', 'float32', [TOKENS]);
  } else {
    g.op('Identity', [hidden], { output: 'last_hidden_state' });
    g.addOutput('last_hidden_state', 'float32', [TOKENS, config.hidden_size]);
  }
  return g.serialize({
    docString: `${config.model_type} encoder, head ${head}, packed (unpadded) layout`,
    metadata: { model_type: config.model_type, head, layout: 'packed' },
  });
}

/** Heads the packed layout has: per-token states (embedders) or extractive-QA start/end logits. */
export type PackedBertHead = 'base' | 'qa';

const TOKENS = 'tokens';

class PackedBertGraph extends BertGraph {
  constructor(g: OnnxGraphBuilder, config: BertConfig, weights: BertWeights) {
    super(g, config, weights, [TOKENS]);
    const heads = config.num_attention_heads;
    g.addInput(PACKED_INPUTS.positionIds, 'int64', [TOKENS]);
    for (const rows of [PACKED_INPUTS.queryRows, PACKED_INPUTS.keyRows, PACKED_INPUTS.valueRows]) {
      g.addInput(rows, 'int64', [BATCH, `${heads}`, SEQUENCE]);
    }
    g.addInput(PACKED_INPUTS.tokenRows, 'int64', [TOKENS, `${heads}`]);
  }

  /** Positions come in as an input: they restart at every sequence of the packed batch. */
  protected positionEmbeddings(): string {
    return this.g.op('Gather', [this.param('embeddings.position_embeddings.weight'), PACKED_INPUTS.positionIds], {
      name: 'position_embeddings',
    });
  }

  protected layer(input: string, mask: string, p: string): string {
    const g = this.g;
    const headRows = g.constInt64('head_rows_shape', [-1, this.headDim]);
    // [tokens, 3 x hidden] viewed as [tokens x 3 x heads, head_dim]: row t*3h + h is head h's query of token t.
    const qkv = g.op('Reshape', [this.linear(input, `${p}.attention.self.qkv`), headRows]);
    const q = g.op('Gather', [qkv, PACKED_INPUTS.queryRows]); // [B, h, S, d]
    const kT = g.op('Transpose', [g.op('Gather', [qkv, PACKED_INPUTS.keyRows])], { attributes: { perm: [0, 1, 3, 2] } });
    const v = g.op('Gather', [qkv, PACKED_INPUTS.valueRows]);
    const contextRows = g.op('Reshape', [this.attend(q, kT, v, mask), headRows]); // [B x h x S, d]
    const merged = g.op('Reshape', [
      g.op('Gather', [contextRows, PACKED_INPUTS.tokenRows]), // [tokens, h, d]
      g.constInt64('token_hidden_shape', [-1, this.config.hidden_size]),
    ]);
    return this.afterAttention(merged, input, p);
  }

  /** The query, key and value projections as one [hidden, 3 x hidden] matrix, so one MatMul serves all three. */
  linear(x: string, prefix: string): string {
    const suffix = '.attention.self.qkv';
    if (!prefix.endsWith(suffix)) return super.linear(x, prefix);
    const self = prefix.slice(0, -'.qkv'.length);
    const parts = ['query', 'key', 'value'].map((n) => `${self}.${n}`);
    const hidden = this.config.hidden_size;
    const weight = new Float32Array(hidden * 3 * hidden);
    const bias = new Float32Array(3 * hidden);
    parts.forEach((part, j) => {
      const w = this.weights.get(`${part}.weight`) as Tensor32; // [out, in]
      for (let o = 0; o < hidden; o++) {
        for (let i = 0; i < hidden; i++) weight[i * 3 * hidden + j * hidden + o] = w.data[o * hidden + i];
      }
      bias.set((this.weights.get(`${part}.bias`) as Tensor32).data, j * hidden);
    });
    this.g.addInitializer(`${prefix}.weight.T`, 'float32', [hidden, 3 * hidden], weight);
    this.g.addInitializer(`${prefix}.bias`, 'float32', [3 * hidden], bias);
    return this.g.op('Add', [this.g.op('MatMul', [x, `${prefix}.weight.T`], { name: `${prefix}.matmul` }), `${prefix}.bias`], {
      name: `${prefix}.add`,
    });
  }
}

function transpose2d(t: Tensor32): Float32Array {
  const [rows, cols] = t.dims;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[c * rows + r] = t.data[r * cols + c];
  }
  return out;
}
