/**
 * A SentenceEncoder on a worker thread of its own. onnxruntime-node runs a model synchronously on
 * the thread that calls it, so an encoder on the server's main thread holds every other request,
 * socket and timer for the length of each run (a question's few milliseconds, an ingestion batch's
 * hundreds). Here the main thread only posts texts and receives vectors; concurrent calls are in
 * flight together and answered by id. A worker that dies fails the calls it held with a clear
 * error, and the next call starts a new one. `close` lets the worker answer what it holds and stop
 * by itself: terminating it during a model run would abort the whole process (encoder-worker.ts).
 */
import { basename } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker, workerScript } from '@wendao/workers';
import { checkText, checkTexts, type Embedder, type EmbeddingResult } from './embedder';
import type { EncoderWorkerReply, EncoderWorkerTask } from './encoder-worker';
import type { EncoderLayout, EncoderStats, SentenceEncoderOptions } from './sentence-encoder';

/**
 * The worker's V8 heap. The model, the Rust tokenizer and the cached vectors' buffers live outside
 * it; what remains is the cache's keys and, for vocabularies under 100k tokens, the JS tokenizer
 * (a few MiB; e5's 250k-token one, forced on, measured 160 MiB).
 */
const WORKER_HEAP_MB = 256;

/** How long `close` waits for the worker to answer what it holds and stop before terminating it. */
const CLOSE_GRACE_MS = 30_000;

interface Pending {
  resolve: (result: EmbeddingResult) => void;
  reject: (err: Error) => void;
}

/** A running worker and the calls posted to it that await their reply. */
interface Running {
  worker: Worker;
  calls: Map<number, Pending>;
  stopped: boolean;
  /** The worker's encoder counters as of its latest reply. */
  stats: EncoderStats;
}

const NO_STATS: EncoderStats = { modelRuns: 0, textsEncoded: 0, cacheHits: 0 };

type Loaded = Extract<EncoderWorkerReply, { kind: 'loaded' }>;

const errorOf = (reply: { name: string; message: string }): Error => {
  const Type = reply.name === 'TypeError' ? TypeError : reply.name === 'RangeError' ? RangeError : Error;
  return new Type(reply.message);
};

const sumStats = (a: EncoderStats, b: EncoderStats): EncoderStats => ({
  modelRuns: a.modelRuns + b.modelRuns,
  textsEncoded: a.textsEncoded + b.textsEncoded,
  cacheHits: a.cacheHits + b.cacheHits,
});

export class ThreadedEncoder implements Embedder {
  readonly modelId: string;
  readonly dim: number;
  readonly layout: EncoderLayout;
  readonly layoutNote?: string;
  readonly syncTokenizeNote?: string;

  /** The worker calls go to; undefined after it stopped, until a call starts the next. */
  private active?: Running;
  private starting?: Promise<Running>;
  private nextId = 1;
  private closed = false;
  /** The counters of workers that stopped. */
  private retired: EncoderStats = { ...NO_STATS };

  private constructor(
    private readonly dir: string,
    private readonly options: SentenceEncoderOptions,
    first: { worker: Worker; loaded: Loaded },
  ) {
    ({
      modelId: this.modelId,
      dim: this.dim,
      layout: this.layout,
      layoutNote: this.layoutNote,
      syncTokenizeNote: this.syncTokenizeNote,
    } = first.loaded);
    this.active = this.attach(first.worker);
  }

  /** Loads the model folder in a new worker thread; rejects with the load's own error. */
  static async load(dir: string, options: SentenceEncoderOptions = {}): Promise<ThreadedEncoder> {
    return new ThreadedEncoder(dir, options, await ThreadedEncoder.spawn(dir, options));
  }

  private static async spawn(
    dir: string,
    options: SentenceEncoderOptions,
  ): Promise<{ worker: Worker; loaded: Loaded }> {
    const worker = await startWorker({
      script: workerScript(__dirname, 'encoder-worker'),
      maxHeapMb: WORKER_HEAP_MB,
      name: `encoder worker (${basename(dir)})`,
    });
    let onError: (err: Error) => void = () => {};
    let onExit: (code: number) => void = () => {};
    const loaded = await new Promise<EncoderWorkerReply>((resolve, reject) => {
      onError = reject;
      onExit = (code) => reject(new Error(`the encoder worker exited (code ${code}) while loading`));
      worker.once('message', resolve);
      worker.once('error', onError);
      worker.once('exit', onExit);
      worker.postMessage({ kind: 'load', dir, options } satisfies EncoderWorkerTask);
    }).catch((err: unknown) => ({ kind: 'failed', name: 'Error', message: String(err) }) as const);
    worker.off('error', onError);
    worker.off('exit', onExit);
    if (loaded.kind !== 'loaded') {
      await worker.terminate();
      throw loaded.kind === 'failed' ? errorOf(loaded) : new Error(`encoder worker answered ${loaded.kind}`);
    }
    return { worker, loaded };
  }

  /** Routes the worker's replies to their calls; a worker that stops fails every call it held. */
  private attach(worker: Worker): Running {
    const running: Running = { worker, calls: new Map(), stopped: false, stats: { ...NO_STATS } };
    worker.on('message', (reply: EncoderWorkerReply) => {
      if ((reply.kind !== 'embedded' && reply.kind !== 'failed') || reply.id === undefined) return;
      const call = running.calls.get(reply.id);
      if (!call) return;
      running.calls.delete(reply.id);
      if (running.calls.size === 0) worker.unref();
      if (reply.kind === 'embedded') {
        running.stats = reply.stats;
        call.resolve({ vectors: reply.vectors, truncated: reply.truncated });
      } else call.reject(errorOf(reply));
    });
    const stop = (why: string) => {
      if (running.stopped) return;
      running.stopped = true;
      if (this.active === running) this.active = undefined;
      this.retired = sumStats(this.retired, running.stats);
      const calls = [...running.calls.values()];
      running.calls.clear();
      for (const call of calls) call.reject(new Error(`the encoder worker stopped (${why}); ask again`));
    };
    worker.once('error', (err) => stop(err.message));
    worker.once('exit', (code) => stop(`exit code ${code}`));
    return running;
  }

  /** Model runs, texts encoded and cache hits so far, over every worker this encoder has had. */
  get stats(): EncoderStats {
    return sumStats(this.retired, this.active?.stats ?? NO_STATS);
  }

  async embed(texts: string[]): Promise<EmbeddingResult> {
    if (this.closed) throw new Error(`encoder ${this.modelId} is closed`);
    // The worker checks the texts too; checking here keeps bad input from ever crossing threads.
    checkTexts(texts);
    if (texts.length === 0) return { vectors: [], truncated: [] };
    let running = this.active ?? (await this.restart());
    while (running.stopped) running = await this.restart();
    const { worker, calls } = running;
    const id = this.nextId++;
    return new Promise<EmbeddingResult>((resolve, reject) => {
      // The worker keeps the process alive only while it owes replies (a CLI run must not end mid-call).
      if (calls.size === 0) worker.ref();
      calls.set(id, { resolve, reject });
      worker.postMessage({ kind: 'embed', id, texts } satisfies EncoderWorkerTask);
    });
  }

  /** A new worker after the last one stopped; concurrent calls share one start, a failed start is not kept. */
  private restart(): Promise<Running> {
    this.starting ??= ThreadedEncoder.spawn(this.dir, this.options)
      .then(({ worker }) => {
        if (this.closed) {
          void worker.terminate();
          throw new Error(`encoder ${this.modelId} is closed`);
        }
        return (this.active = this.attach(worker));
      })
      .finally(() => (this.starting = undefined));
    return this.starting;
  }

  async embedOne(text: string): Promise<Float32Array> {
    checkText(text);
    return (await this.embed([text])).vectors[0];
  }

  /**
   * Stops the worker once it has answered the calls already made (its ONNX session goes with it);
   * later calls are refused. A worker that has not stopped after CLOSE_GRACE_MS is terminated.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running = this.active;
    if (!running || running.stopped) return;
    const { worker } = running;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref();
    worker.postMessage({ kind: 'close' } satisfies EncoderWorkerTask);
    const overdue = setTimeout(() => void worker.terminate(), CLOSE_GRACE_MS);
    overdue.unref();
    await exited;
    clearTimeout(overdue);
  }
}
