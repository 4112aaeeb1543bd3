/**
 * Sentence-BERT embeddings from an ONNX model folder: tokenize, sort by length, run padded-per-batch,
 * pool (or take the model's own sentence_embedding), L2-normalise; repeated texts come from an LRU cache.
 */
import {
  TextTokenizer,
  bertFeeds,
  createSession,
  loadModelFolder,
  type ModelFolder,
  type PoolingMode,
  type TokenizedText,
} from '@wendao/models';
import { LRUCache } from 'lru-cache';
import type { InferenceSession } from 'onnxruntime-node';
import type { Embedder, EmbeddingResult } from './embedder';
import { planBatches } from './plan-batches';
import { l2Normalize, poolHiddenStates } from './pooling';

export interface SentenceEncoderOptions {
  /** onnxruntime intra-op threads (default: onnxruntime's choice, one per core). */
  threads?: number;
  /** Sequences per model run (default 32). */
  batchSize?: number;
  /** Texts remembered with their vectors (default 10000; 0 turns the cache off). */
  cacheSize?: number;
  /** Cap on tokens per text, below the model's own limit. */
  maxLength?: number;
  /** Use the folder's int8 ONNX file when it has one (default true). */
  preferInt8?: boolean;
  /**
   * What one extra model run costs, in padded tokens (default 16): texts of very different
   * lengths go to separate runs when that saves more padding than this. Infinity never splits.
   */
  runCostTokens?: number;
}

export interface EncoderStats {
  /** session.run calls. */
  modelRuns: number;
  /** Texts that went through the model. */
  textsEncoded: number;
  cacheHits: number;
}

interface CachedEmbedding {
  vector: Float32Array;
  truncated: boolean;
}

/** Outputs we know how to read, best first: pooled by the model, else per-token states to pool here. */
const POOLED_OUTPUT = 'sentence_embedding';
const TOKEN_OUTPUTS = ['last_hidden_state', 'token_embeddings'];

/**
 * On MiniLM-L12 (fp32 and int8, 1-2 threads, batches of 32 FAQ questions) any value from 4 to 64
 * gave the same speed within noise, about 1.5x plain chunks of 32; 16 sits in that plateau.
 */
const DEFAULT_RUN_COST_TOKENS = 16;

function positiveInt(name: string, value: number | undefined, min: number): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}

export class SentenceEncoder implements Embedder {
  readonly modelId: string;
  readonly dim: number;
  /** Tokens per text, special tokens included; longer texts are cut and reported in `truncated`. */
  readonly maxLength: number;
  readonly pooling: PoolingMode;
  /** True when the model pools itself (a sentence_embedding output); false when we pool last_hidden_state. */
  readonly pooledByModel: boolean;

  private readonly cache?: LRUCache<string, CachedEmbedding>;
  private readonly batchSize: number;
  private readonly runCostTokens: number;
  private readonly outputName: string;
  private readonly needsTokenTypes: boolean;
  private readonly counters: EncoderStats = { modelRuns: 0, textsEncoded: 0, cacheHits: 0 };

  private constructor(
    readonly folder: ModelFolder,
    private readonly tokenizer: TextTokenizer,
    private readonly session: InferenceSession,
    opts: SentenceEncoderOptions,
  ) {
    this.modelId = folder.id;
    this.maxLength = tokenizer.modelMaxLength;
    this.pooling = folder.pooling ?? 'mean';
    this.batchSize = opts.batchSize ?? 32;
    this.runCostTokens = opts.runCostTokens ?? DEFAULT_RUN_COST_TOKENS;
    const cacheSize = opts.cacheSize ?? 10_000;
    if (cacheSize > 0) this.cache = new LRUCache({ max: cacheSize });

    const outputs = session.outputNames;
    const chosen = outputs.includes(POOLED_OUTPUT)
      ? POOLED_OUTPUT
      : TOKEN_OUTPUTS.find((o) => outputs.includes(o));
    if (!chosen) {
      throw new Error(
        `${folder.onnxPath} has none of the outputs ${[POOLED_OUTPUT, ...TOKEN_OUTPUTS].join(', ')} (it has ${outputs.join(', ')})`,
      );
    }
    this.outputName = chosen;
    this.pooledByModel = chosen === POOLED_OUTPUT;
    for (const input of ['input_ids', 'attention_mask']) {
      if (!session.inputNames.includes(input)) throw new Error(`${folder.onnxPath} has no ${input} input`);
    }
    this.needsTokenTypes = session.inputNames.includes('token_type_ids');

    const meta = session.outputMetadata.find((m) => m.name === chosen);
    const metaDim = meta && meta.isTensor ? meta.shape[meta.shape.length - 1] : undefined;
    const configDim = folder.config.hidden_size ?? folder.config.dim;
    const dim = typeof metaDim === 'number' ? metaDim : configDim;
    if (typeof dim !== 'number' || !(dim > 0)) {
      throw new Error(
        `cannot tell the embedding size of ${folder.id}: no static output shape and no hidden_size`,
      );
    }
    this.dim = dim;
  }

  /** Loads an embedder from a model folder path or an already-resolved ModelFolder. */
  static async load(
    dirOrFolder: string | ModelFolder,
    opts: SentenceEncoderOptions = {},
  ): Promise<SentenceEncoder> {
    positiveInt('batchSize', opts.batchSize, 1);
    positiveInt('cacheSize', opts.cacheSize, 0);
    positiveInt('maxLength', opts.maxLength, 3);
    positiveInt('threads', opts.threads, 1);
    if (opts.runCostTokens !== undefined && !(opts.runCostTokens >= 0)) {
      throw new RangeError(`runCostTokens must be >= 0 (Infinity allowed), got ${opts.runCostTokens}`);
    }
    const folder =
      typeof dirOrFolder === 'string'
        ? loadModelFolder(dirOrFolder, { preferInt8: opts.preferInt8 })
        : dirOrFolder;
    if (folder.task !== 'embedder' && folder.task !== 'base') {
      throw new Error(`${folder.id} is a ${folder.task} model, not a sentence embedder`);
    }
    const limits = [folder.maxLength, opts.maxLength].filter((n): n is number => n !== undefined);
    const tokenizer = TextTokenizer.load(folder.dir, { maxLength: Math.min(...limits) });
    const session = await createSession(folder.onnxPath, { threads: opts.threads });
    try {
      return new SentenceEncoder(folder, tokenizer, session, opts);
    } catch (err) {
      await session.release();
      throw err;
    }
  }

  get stats(): EncoderStats {
    return { ...this.counters };
  }

  async embedOne(text: string): Promise<Float32Array> {
    if (typeof text !== 'string') throw new TypeError(`embedOne() expects a string, got ${typeof text}`);
    if (text.trim() === '') throw new RangeError('embedOne() got an empty text');
    return (await this.embed([text])).vectors[0];
  }

  async embed(texts: string[]): Promise<EmbeddingResult> {
    if (!Array.isArray(texts))
      throw new TypeError(`embed() expects an array of strings, got ${typeof texts}`);
    texts.forEach((text, i) => {
      if (typeof text !== 'string') throw new TypeError(`texts[${i}] is not a string (got ${typeof text})`);
      if (text.trim() === '') throw new RangeError(`texts[${i}] is empty`);
    });

    const results = new Map<string, CachedEmbedding>();
    const pending: string[] = [];
    for (const text of new Set(texts)) {
      const hit = this.cache?.get(text);
      if (hit) {
        results.set(text, hit);
        this.counters.cacheHits++;
      } else {
        pending.push(text);
      }
    }
    if (pending.length > 0) {
      const inputs = this.folder.lowercaseInput ? pending.map((t) => t.toLowerCase()) : pending;
      const tokenized = await this.tokenizer.encodeBatch(inputs);
      const vectors = await this.runBatches(tokenized);
      pending.forEach((text, i) => {
        const entry = { vector: vectors[i], truncated: tokenized[i].truncated };
        results.set(text, entry);
        this.cache?.set(text, entry);
      });
    }

    const truncated: number[] = [];
    const vectors = texts.map((text, i) => {
      const entry = results.get(text) as CachedEmbedding;
      if (entry.truncated) truncated.push(i);
      // A copy, so a caller writing into its vector cannot corrupt the cache.
      return entry.vector.slice();
    });
    return { vectors, truncated };
  }

  /** Releases the onnxruntime session. */
  async close(): Promise<void> {
    await this.session.release();
  }

  /**
   * Runs texts in length-sorted batches, each padded only to its own longest sequence and cut
   * where padding would cost more than another run, so short texts do not pay for long ones;
   * returns vectors in input order.
   */
  private async runBatches(tokenized: TokenizedText[]): Promise<Float32Array[]> {
    const runs = planBatches(
      tokenized.map((t) => t.ids.length),
      { maxRows: this.batchSize, runCostTokens: this.runCostTokens },
    );
    const vectors = new Array<Float32Array>(tokenized.length);
    for (const batch of runs) {
      const pooled = await this.runBatch(batch.map((i) => tokenized[i]));
      batch.forEach((inputIndex, row) => (vectors[inputIndex] = pooled[row]));
    }
    return vectors;
  }

  private async runBatch(batch: TokenizedText[]): Promise<Float32Array[]> {
    const rows = batch.length;
    // A single sequence is all segment 0, so no typeIds go in.
    const {
      feeds,
      seqLength: seqLen,
      attentionMask: mask,
    } = bertFeeds(
      batch.map((t) => ({ ids: t.ids, attentionMask: t.attentionMask })),
      { padId: this.tokenizer.special.pad, tokenTypeIds: this.needsTokenTypes },
    );

    const output = (await this.session.run(feeds, [this.outputName]))[this.outputName];
    this.counters.modelRuns++;
    this.counters.textsEncoded += rows;
    if (output.type !== 'float32') {
      throw new Error(
        `${this.modelId}: output ${this.outputName} is ${output.type}; only float32 outputs are supported`,
      );
    }
    const data = output.data as Float32Array;
    const dim = output.dims[output.dims.length - 1];
    if (dim !== this.dim)
      throw new Error(`${this.modelId}: output has ${dim} dimensions, expected ${this.dim}`);

    return batch.map((_, r) =>
      l2Normalize(
        this.pooledByModel
          ? data.slice(r * dim, (r + 1) * dim)
          : poolHiddenStates(data, mask, r, seqLen, dim, this.pooling),
      ),
    );
  }
}
