/**
 * Sentence-BERT embeddings from an ONNX model folder: tokenize, sort by length, run padded-per-batch,
 * pool (or take the model's own sentence_embedding), L2-normalise; repeated texts come from an LRU cache.
 */
import {
  TextTokenizer,
  bertFeeds,
  createSession,
  loadModelFolder,
  openCheckedPackedSession,
  type PackedSession,
  type ModelFolder,
  type PoolingMode,
  type TokenIds,
} from '@wendao/models';
import { LRUCache } from 'lru-cache';
import type { InferenceSession } from 'onnxruntime-node';
import { checkText, checkTexts, type Embedder, type EmbeddingResult } from './embedder';
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
  /**
   * Run fp32 models in the packed layout (default true): on load the encoder rebuilds the model
   * without padding (every per-token operation on real tokens only) and keeps that version only
   * if it reproduces the file's own vectors on probe texts; otherwise it runs the file as is.
   */
  packed?: boolean;
  /**
   * Tokenize calls of up to SYNC_TOKENIZE_MAX_TEXTS texts on the calling thread with HF's JS
   * tokenizer when it agrees with the Rust one on probe texts: a single question then skips the
   * worker-thread hop, which costs more than the tokenizing. Default: only for vocabularies of up
   * to SYNC_TOKENIZE_MAX_VOCAB tokens (the JS copy of a large one costs far more memory than the
   * hop costs time).
   */
  syncTokenize?: boolean;
}

/** How the encoder runs its model: the ONNX file as is, or rebuilt without padding. */
export type EncoderLayout = 'packed' | 'padded';

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

/**
 * The packed layout pads only inside attention (a small share of the compute), so a separate run
 * is worth it only for far larger length differences.
 */
const DEFAULT_PACKED_RUN_COST_TOKENS = 128;

/** Texts of different lengths and scripts on which the packed layout must match the file. */
const PROBE_TEXTS = [
  '退货期限是多久？',
  'How long does a refund take to reach my card after the parcel is returned?',
  '会员积分 can pay for 运费 吗',
];

/** Calls with at most this many texts tokenize on the calling thread; larger ones use the Rust batch. */
const SYNC_TOKENIZE_MAX_TEXTS = 4;

/**
 * Largest vocabulary whose JS tokenizer is loaded by default. The JS tokenizer holds the vocabulary
 * in JS objects: multilingual-e5-small's 250k tokens cost ~200 MiB of RSS to save 0.05-0.14 ms per
 * question (0.19 ms Rust hop against 0.06 ms inline); all-MiniLM-L6-v2's 30k tokens cost ~2 MiB and
 * save ~0.13 ms (measured 2026-12-06, docs/models.md).
 */
const SYNC_TOKENIZE_MAX_VOCAB = 100_000;

/** Largest |difference| between packed and file vectors accepted (float32 rounding is ~1e-6). */
const PACKED_TOLERANCE = 1e-4;

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

  /** 'packed' when the model runs rebuilt without padding, else 'padded'. */
  layout: EncoderLayout = 'padded';
  /** Why the packed layout was not used, when it was asked for and could not be. */
  layoutNote?: string;
  /** Why short calls still tokenize on the worker thread, unless syncTokenize was set to false. */
  syncTokenizeNote?: string;

  private readonly cache?: LRUCache<string, CachedEmbedding>;
  private readonly batchSize: number;
  private runCostTokens: number;
  private packed?: PackedSession;
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
    let encoder: SentenceEncoder;
    try {
      encoder = new SentenceEncoder(folder, tokenizer, session, opts);
    } catch (err) {
      await session.release();
      throw err;
    }
    const syncTokenize = opts.syncTokenize ?? tokenizer.vocabSize <= SYNC_TOKENIZE_MAX_VOCAB;
    if (syncTokenize) encoder.syncTokenizeNote = await tokenizer.prepareSyncIds();
    else if (opts.syncTokenize === undefined)
      encoder.syncTokenizeNote = `a vocabulary of ${tokenizer.vocabSize} tokens (over ${SYNC_TOKENIZE_MAX_VOCAB}): its JS copy would cost more memory than the worker-thread hop costs time`;
    if (opts.packed ?? true) await encoder.switchToPacked(opts);
    return encoder;
  }

  /**
   * Rebuilds the model without padding and switches to it when it gives the file's own vectors
   * on PROBE_TEXTS; otherwise stays on the file and says why in layoutNote.
   */
  private async switchToPacked(opts: SentenceEncoderOptions): Promise<void> {
    const check = { threads: opts.threads, tolerance: PACKED_TOLERANCE, what: 'vectors' };
    try {
      this.packed = await openCheckedPackedSession(this.folder, 'base', check, async (packed) => {
        const probe = await this.tokenize(PROBE_TEXTS.map((t) => this.modelInput(t)));
        const expected = await this.runPadded(probe);
        const actual = await this.runPacked(packed, probe);
        return Math.max(...expected.map((v, i) => maxAbsDiff(v, actual[i])));
      });
      this.layout = 'packed';
      if (opts.runCostTokens === undefined) this.runCostTokens = DEFAULT_PACKED_RUN_COST_TOKENS;
      await this.session.release();
    } catch (err) {
      this.layoutNote = `packed layout not used: ${(err as Error).message}`;
    } finally {
      Object.assign(this.counters, { modelRuns: 0, textsEncoded: 0 });
    }
  }

  get stats(): EncoderStats {
    return { ...this.counters };
  }

  async embedOne(text: string): Promise<Float32Array> {
    checkText(text);
    return (await this.embed([text])).vectors[0];
  }

  async embed(texts: string[]): Promise<EmbeddingResult> {
    checkTexts(texts);

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
      const inputs = pending.map((t) => this.modelInput(t));
      const tokenized = await this.tokenize(inputs);
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

  /** The text as sentence-transformers feeds it to the model: default prompt first, then lowercased if the folder says so. */
  private modelInput(text: string): string {
    const prompted = (this.folder.inputPrompt ?? '') + text;
    return this.folder.lowercaseInput ? prompted.toLowerCase() : prompted;
  }

  private async tokenize(texts: string[]): Promise<TokenIds[]> {
    if (texts.length <= SYNC_TOKENIZE_MAX_TEXTS && texts.every((t) => this.tokenizer.canEncodeSync(t))) {
      return texts.map((t) => this.tokenizer.encodeIdsSync(t));
    }
    return this.tokenizer.encodeBatch(texts);
  }

  /** Releases the onnxruntime session. */
  async close(): Promise<void> {
    await (this.packed?.session ?? this.session).release();
  }

  /**
   * Runs texts in length-sorted batches, each padded only to its own longest sequence and cut
   * where padding would cost more than another run, so short texts do not pay for long ones;
   * returns vectors in input order.
   */
  private async runBatches(tokenized: TokenIds[]): Promise<Float32Array[]> {
    const runs = planBatches(
      tokenized.map((t) => t.ids.length),
      { maxRows: this.batchSize, runCostTokens: this.runCostTokens },
    );
    const vectors = new Array<Float32Array>(tokenized.length);
    for (const batch of runs) {
      const texts = batch.map((i) => tokenized[i]);
      const pooled = this.packed ? await this.runPacked(this.packed, texts) : await this.runPadded(texts);
      batch.forEach((inputIndex, row) => (vectors[inputIndex] = pooled[row]));
    }
    return vectors;
  }

  private async runPadded(batch: TokenIds[]): Promise<Float32Array[]> {
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
    this.countRun(rows);
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

  /** One run of the packed graph: last_hidden_state is [tokens, dim], sequence i at rows starts[i]..starts[i+1]. */
  private async runPacked(runner: PackedSession, batch: TokenIds[]): Promise<Float32Array[]> {
    const { feeds, starts } = runner.feeds(
      batch.map((t) => ({ ids: t.ids, attentionMask: t.attentionMask })),
    );
    const output = (await runner.session.run(feeds, ['last_hidden_state'])).last_hidden_state;
    this.countRun(batch.length);
    const data = output.data as Float32Array;
    const dim = this.dim;
    return batch.map((t, i) => {
      const rows = data.subarray(starts[i] * dim, starts[i + 1] * dim);
      return l2Normalize(poolHiddenStates(rows, t.attentionMask, 0, t.ids.length, dim, this.pooling));
    });
  }

  private countRun(rows: number): void {
    this.counters.modelRuns++;
    this.counters.textsEncoded += rows;
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
