/**
 * Opens an ONNX model on the CPU with the options every Wendao model uses: full graph optimisation,
 * a configurable number of intra-op threads, and no inter-op parallelism (BERT graphs are sequential).
 */
import { InferenceSession } from 'onnxruntime-node';

export interface CreateSessionOptions {
  /** Intra-op threads; onnxruntime picks one per physical core when unset. */
  threads?: number;
}

/** `model` is an ONNX file path, or a serialized graph built in memory (`label` then names it in errors). */
export async function createSession(
  model: string | Uint8Array,
  opts: CreateSessionOptions & { label?: string } = {},
): Promise<InferenceSession> {
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
    throw new RangeError(`threads must be a positive integer, got ${opts.threads}`);
  }
  try {
    const options: InferenceSession.SessionOptions = {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      interOpNumThreads: 1,
      ...(opts.threads !== undefined ? { intraOpNumThreads: opts.threads } : {}),
    };
    return typeof model === 'string'
      ? await InferenceSession.create(model, options)
      : await InferenceSession.create(model, options);
  } catch (err) {
    const name = typeof model === 'string' ? model : (opts.label ?? 'built in memory');
    throw new Error(`cannot load ONNX model ${name}: ${(err as Error).message}`);
  }
}
