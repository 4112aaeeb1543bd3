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
