/**
 * Opens an ONNX model on the CPU with the options every Wendao model uses: full graph optimisation,
 * a configurable number of intra-op threads, and no inter-op parallelism (BERT graphs are sequential).
 */
import { InferenceSession } from 'onnxruntime-node';

export interface CreateSessionOptions {
  /** Intra-op threads; onnxruntime picks one per physical core when unset. */
  threads?: number;
}

export async function createSession(onnxPath: string, opts: CreateSessionOptions = {}): Promise<InferenceSession> {
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
    throw new RangeError(`threads must be a positive integer, got ${opts.threads}`);
  }
  try {
    return await InferenceSession.create(onnxPath, {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      interOpNumThreads: 1,
      ...(opts.threads !== undefined ? { intraOpNumThreads: opts.threads } : {}),
    });
  } catch (err) {
    throw new Error(`cannot load ONNX model ${onnxPath}: ${(err as Error).message}`);
  }
}
