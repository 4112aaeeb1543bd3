/**
 * BERT extractive question answering over ONNX: tokenizes question and passages once, lays out
 * overlapping windows (doc stride), runs them in padded batches, and ranks spans across all
 * passages with a SQuAD 2.0 no-answer score. Works with HF QA exports (start_logits/end_logits).
 */
import type { InferenceSession } from 'onnxruntime-node';
import { bertFeeds, createSession, loadModelFolder, TextTokenizer, type ModelFolder } from '@wendao/models';
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
}

function positiveInt(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${value}`);
  return value;
}

export class NeuralReader implements Reader {
  readonly mode = 'neural' as const;
  private readonly feedsTokenTypes: boolean;

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
    return new NeuralReader(model, tokenizer, session, opts.defaults ?? {});
  }

  get modelId(): string {
    return this.model.id;
  }

  /** Frees the ONNX session; the reader must not be used afterwards. */
  async close(): Promise<void> {
    await this.session.release();
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
    const windows = buildReaderWindows(
      questionTokens,
      passageTokens,
      { ...this.tokenizer.special, pairTemplate: this.tokenizer.pairTemplate },
      { maxSeqLength, docStride: o.docStride, maxQuestionLength: o.maxQuestionLength },
    );

    const logits: WindowLogits[] = [];
    for (let i = 0; i < windows.length; i += batchSize) {
      logits.push(...(await this.run(windows.slice(i, i + batchSize))));
    }
    const { spans, noAnswer } = postprocessWindows(windows, logits, passages, {
      topK,
      maxAnswerLength,
      alignToWords: o.alignToWords,
    });
    return { spans, noAnswer, mode: 'neural', windows: windows.length };
  }

  /** One padded batch through the model; returns each window's logits over its own positions. */
  private async run(batch: ReaderWindow[]): Promise<WindowLogits[]> {
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
