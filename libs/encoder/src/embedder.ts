/**
 * The contract the retriever and the API code against: anything that turns texts into
 * L2-normalised vectors of a fixed dimension (the ONNX SentenceEncoder, or a remote service).
 */

export interface EmbeddingResult {
  /** One unit-length vector per input, in input order. */
  vectors: Float32Array[];
  /** Indexes of inputs that were cut at the model's maximum length before embedding. */
  truncated: number[];
}

export interface Embedder {
  readonly modelId: string;
  readonly dim: number;
  embed(texts: string[]): Promise<EmbeddingResult>;
  /** Frees what the embedder holds (ONNX sessions, connections); it must not be used afterwards. */
  close(): Promise<void>;
}

/** What every encoder refuses before any work: `texts` must be an array of non-blank strings. */
export function checkTexts(texts: unknown): asserts texts is string[] {
  if (!Array.isArray(texts)) throw new TypeError(`embed() expects an array of strings, got ${typeof texts}`);
  texts.forEach((text: unknown, i) => {
    if (typeof text !== 'string') throw new TypeError(`texts[${i}] is not a string (got ${typeof text})`);
    if (text.trim() === '') throw new RangeError(`texts[${i}] is empty`);
  });
}

/** embedOne()'s check of its one text. */
export function checkText(text: unknown): asserts text is string {
  if (typeof text !== 'string') throw new TypeError(`embedOne() expects a string, got ${typeof text}`);
  if (text.trim() === '') throw new RangeError('embedOne() got an empty text');
}
