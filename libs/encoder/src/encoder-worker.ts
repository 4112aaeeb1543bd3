/**
 * The body of ThreadedEncoder's worker thread: loads one SentenceEncoder and answers embed requests
 * by id, so the model runs (synchronous inside onnxruntime-node) never block the caller's event loop.
 * `close` stops it cleanly: the requests before it are answered, the session is released, the thread
 * exits. (Terminating the thread during a model run is not safe: onnxruntime-node's native code
 * returns into a torn-down thread and aborts the whole process.)
 */
import { parentPort } from 'node:worker_threads';
import { SentenceEncoder, type EncoderStats, type SentenceEncoderOptions } from './sentence-encoder';

export type EncoderWorkerTask =
  | { kind: 'load'; dir: string; options: SentenceEncoderOptions }
  | { kind: 'embed'; id: number; texts: string[] }
  /** Answer the requests posted before this one, release the model, exit; later ones are never read. */
  | { kind: 'close' };

export type EncoderWorkerReply =
  | { kind: 'ready' }
  | {
      kind: 'loaded';
      modelId: string;
      dim: number;
      layout: SentenceEncoder['layout'];
      layoutNote?: string;
      syncTokenizeNote?: string;
    }
  /** `stats`: the worker's encoder counters after this call. */
  | { kind: 'embedded'; id: number; vectors: Float32Array[]; truncated: number[]; stats: EncoderStats }
  /** `id` absent: the load failed. `name` keeps TypeError / RangeError for the caller. */
  | { kind: 'failed'; id?: number; name: string; message: string };

const port = parentPort!;
let encoder: SentenceEncoder | undefined;
/** Embed requests started and not yet answered. */
const inFlight = new Set<Promise<unknown>>();

const failed = (err: unknown, id?: number): EncoderWorkerReply => ({
  kind: 'failed',
  ...(id === undefined ? {} : { id }),
  name: err instanceof Error ? err.name : 'Error',
  message: err instanceof Error ? err.message : String(err),
});

async function close(): Promise<void> {
  port.removeAllListeners('message');
  await Promise.allSettled([...inFlight]);
  await encoder?.close().catch(() => {});
  process.exit(0);
}

port.on('message', (task: EncoderWorkerTask) => {
  if (task.kind === 'close') {
    void close();
    return;
  }
  if (task.kind === 'load') {
    SentenceEncoder.load(task.dir, task.options).then(
      (loaded) => {
        encoder = loaded;
        const { modelId, dim, layout, layoutNote, syncTokenizeNote } = loaded;
        port.postMessage({
          kind: 'loaded',
          modelId,
          dim,
          layout,
          layoutNote,
          syncTokenizeNote,
        } satisfies EncoderWorkerReply);
      },
      (err: unknown) => port.postMessage(failed(err)),
    );
    return;
  }
  const { id, texts } = task;
  if (!encoder) {
    port.postMessage(failed(new Error('the encoder worker has no model loaded'), id));
    return;
  }
  const answered = encoder.embed(texts).then(
    ({ vectors, truncated }) =>
      port.postMessage(
        { kind: 'embedded', id, vectors, truncated, stats: encoder!.stats } satisfies EncoderWorkerReply,
        [...new Set(vectors.map((v) => v.buffer as ArrayBuffer))],
      ),
    (err: unknown) => port.postMessage(failed(err, id)),
  );
  inFlight.add(answered);
  void answered.finally(() => inFlight.delete(answered));
});

port.postMessage({ kind: 'ready' } satisfies EncoderWorkerReply);
