/**
 * BERT extractive question answering over ONNX: tokenizes question and passages once, lays out
 * overlapping windows (doc stride), runs them in padded batches, and ranks spans across all
 * passages with a SQuAD 2.0 no-answer score. Works with HF QA exports (start_logits/end_logits).
 */
import type { InferenceSession } from 'onnxruntime-node';
import {
  bertFeeds,
  createSession,
  loadModelFolder,
  openCheckedPackedSession,
  type PackedSession,
  TextTokenizer,
  type ModelFolder,
} from '@wendao/models';
import { postprocessWindows, type WindowLogits } from './postprocess-windows';
import { DEFAULT_READER_OPTIONS, type Reader, type ReaderOptions, type ReaderResult } from './reader';
import { buildReaderWindows, type ReaderWindow } from './reader-windows';

export interface NeuralReaderOptions {
  /** onnxruntime intra-op threads. */
  threads?: number;
  /** Load the folder's int8 export when it has one (default true). */
  preferInt8?: boolean;
  /** Defaults for every answer() call, overridden per call. */
  defaults?: ReaderOptions;
  /**
   * Run fp32 models in the packed layout (default true): windows of different lengths share a run
   * without padding the per-token work; kept only if it gives the file's logits on a probe.
   */
  packed?: boolean;
}

/** A question and passages (one spanning several windows) on which the packed layout must match the file. */
const PROBE_QUESTION = '退货期限是多久？ How long is the return period?';
const PROBE_PASSAGES = [
  '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。',
  'Returns are accepted within 30 days of delivery. '.repeat(40),
];

/** Largest |logit difference| accepted, relative to the logit's size (float32 rounding is ~1e-6). */
const PACKED_TOLERANCE = 1e-4;

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

export class NeuralReader implements Reader {
  readonly mode = 'neural' as const;
  /** 'packed' when the model runs rebuilt without padding, else 'padded' (the file as is). */
  layout: 'packed' | 'padded' = 'padded';
  /** Why the packed layout was not used, when it was asked for and could not be. */
  layoutNote?: string;
  private readonly feedsTokenTypes: boolean;
  private packed?: PackedSession;

  private constructor(
    readonly model: ModelFolder,
    private readonly tokenizer: TextTokenizer,
    private readonly session: InferenceSession,
    private readonly defaults: ReaderOptions,
  ) {
    this.feedsTokenTypes = session.inputNames.includes('token_type_ids');
  }

  static async load(dir: string, opts: NeuralReaderOptions = {}): Promise<NeuralReader> {
    const model = loadModelFolder(dir, { preferInt8: opts.preferInt8 ?? true });
    const tokenizer = TextTokenizer.load(dir);
    const session = await createSession(model.onnxPath, { threads: opts.threads });
    for (const name of ['input_ids', 'attention_mask']) {
      if (!session.inputNames.includes(name)) {
        throw new Error(
          `${model.onnxPath} has no "${name}" input (inputs: ${session.inputNames.join(', ')})`,
        );
      }
    }
    for (const name of ['start_logits', 'end_logits']) {
      if (!session.outputNames.includes(name)) {
        throw new Error(
          `${model.id} is not an extractive QA model: ${model.onnxPath} has no "${name}" output ` +
            `(outputs: ${session.outputNames.join(', ')}; task ${model.task})`,
        );
      }
    }
    const reader = new NeuralReader(model, tokenizer, session, opts.defaults ?? {});
    if (opts.packed ?? true) await reader.switchToPacked(opts);
    return reader;
  }

  /** Rebuilds the model without padding; switches to it when its logits match the file's on the probe. */
  private async switchToPacked(opts: NeuralReaderOptions): Promise<void> {
    const check = { threads: opts.threads, tolerance: PACKED_TOLERANCE, what: 'logits' };
    try {
      this.packed = await openCheckedPackedSession(this.model, 'qa', check, async (packed) => {
        const windows = await this.windows(PROBE_QUESTION, PROBE_PASSAGES, {
          ...DEFAULT_READER_OPTIONS,
          ...this.defaults,
        });
        const expected = await this.runPadded(windows);
        const actual = await this.runPacked(packed, windows);
        let worst = 0;
        expected.forEach((w, i) => {
          for (const key of ['start', 'end'] as const) {
            for (let t = 0; t < w[key].length; t++) {
              const x = w[key][t];
              worst = Math.max(worst, Math.abs(x - actual[i][key][t]) / (1 + Math.abs(x)));
            }
          }
        });
        return worst;
      });
      this.layout = 'packed';
      await this.session.release();
    } catch (err) {
      this.layoutNote = `packed layout not used: ${(err as Error).message}`;
    }
  }

  get modelId(): string {
    return this.model.id;
  }

  /** Frees the ONNX session; the reader must not be used afterwards. */
  async close(): Promise<void> {
    await (this.packed?.session ?? this.session).release();
  }

  async answer(question: string, passages: string[], options: ReaderOptions = {}): Promise<ReaderResult> {
    if (typeof question !== 'string' || question.trim() === '') throw new Error('question is empty');
    if (!Array.isArray(passages) || passages.some((p) => typeof p !== 'string')) {
      throw new Error('passages must be an array of strings');
    }
    const o = { ...DEFAULT_READER_OPTIONS, ...this.defaults, ...options };
    const topK = positiveInt('topK', o.topK);
    const maxAnswerLength = positiveInt('maxAnswerLength', o.maxAnswerLength);
    const batchSize = positiveInt('batchSize', o.batchSize);
    const windows = await this.windows(question, passages, o);

    const logits: WindowLogits[] = [];
    for (let i = 0; i < windows.length; i += batchSize) {
      const batch = windows.slice(i, i + batchSize);
      logits.push(...(await (this.packed ? this.runPacked(this.packed, batch) : this.runPadded(batch))));
    }
    const { spans, noAnswer } = postprocessWindows(windows, logits, passages, {
      topK,
      maxAnswerLength,
      alignToWords: o.alignToWords,
    });
    return { spans, noAnswer, mode: 'neural', windows: windows.length };
  }

  /** Tokenizes the question and passages and lays out the SQuAD-style windows. */
  private async windows(
    question: string,
    passages: string[],
    o: Required<ReaderOptions>,
  ): Promise<ReaderWindow[]> {
    // A window longer than the position table would index past it; the model's limit wins.
    const maxSeqLength = Math.min(
      positiveInt('maxSeqLength', o.maxSeqLength),
      this.tokenizer.modelMaxLength,
      this.model.maxLength,
    );

    const questionTokens = await this.tokenizer.encode(question, {
      addSpecialTokens: false,
      maxLength: positiveInt('maxQuestionLength', o.maxQuestionLength),
    });
    // Passages are never truncated: the windows below cover every token.
    const passageTokens = await this.tokenizer.encodeBatch(passages, {
      addSpecialTokens: false,
      maxLength: Number.MAX_SAFE_INTEGER,
    });
    return buildReaderWindows(
      questionTokens,
      passageTokens,
      { ...this.tokenizer.special, pairTemplate: this.tokenizer.pairTemplate },
      { maxSeqLength, docStride: o.docStride, maxQuestionLength: o.maxQuestionLength },
    );
  }

  /** One packed batch: the windows' tokens back to back, logits sliced per window. */
  private async runPacked(runner: PackedSession, batch: ReaderWindow[]): Promise<WindowLogits[]> {
    const { feeds, starts } = runner.feeds(batch.map((w) => ({ ids: w.inputIds, typeIds: w.tokenTypeIds })));
    const out = await runner.session.run(feeds, ['start_logits', 'end_logits']);
    const start = out.start_logits.data as Float32Array;
    const end = out.end_logits.data as Float32Array;
    return batch.map((_, b) => ({
      start: start.subarray(starts[b], starts[b + 1]),
      end: end.subarray(starts[b], starts[b + 1]),
    }));
  }

  /** One padded batch through the model; returns each window's logits over its own positions. */
  private async runPadded(batch: ReaderWindow[]): Promise<WindowLogits[]> {
    const { feeds, seqLength: seq } = bertFeeds(
      batch.map((w) => ({ ids: w.inputIds, typeIds: w.tokenTypeIds })),
      { padId: this.tokenizer.special.pad, tokenTypeIds: this.feedsTokenTypes },
    );
    const size = batch.length * seq;
    const out = await this.session.run(feeds, ['start_logits', 'end_logits']);
    const start = out.start_logits.data as Float32Array;
    const end = out.end_logits.data as Float32Array;
    if (start.length !== size || end.length !== size) {
      throw new Error(`QA model returned ${start.length} start logits for a ${batch.length}x${seq} batch`);
    }
    return batch.map((w, b) => ({
      start: start.subarray(b * seq, b * seq + w.inputIds.length),
      end: end.subarray(b * seq, b * seq + w.inputIds.length),
    }));
  }
}
