/**
 * Trains (and loads) intent classifiers in worker threads, so that a training of thousands of
 * examples (seconds of L-BFGS and cross-validation) never stalls the event loop of the server that
 * asked for it. Each task gets a fresh worker (its heap is freed when the task ends) held to a time
 * limit (the worker is terminated) and a V8 heap limit (running out ends that worker only); either
 * becomes an IntentTrainingLimitError. The sentence embeddings, if any, are computed on the calling
 * thread first: the ONNX encoder already runs off the event loop and is not loaded twice.
 */
import type { Worker } from 'node:worker_threads';
import type { Embedder } from '@wendao/encoder';
import { askWorker, startWorker, workerScript, WorkerStoppedError, type WorkerStop } from '@wendao/workers';
import {
  embedTrainingExamples,
  IntentClassifier,
  type IntentTrainingReport,
  type IntentTrainingSettings,
  type LabelledExample,
} from './intent-classifier';
import type { IntentWorkerReply, IntentWorkerTask } from './intent-train-worker';

export interface IntentTrainerOptions {
  /** A training (or load) running longer is stopped: its worker is terminated. */
  timeoutMs: number;
  /** V8 old-generation heap per worker, in MiB. */
  maxHeapMb: number;
  /** Trainings at the same time at most (others wait); default 1. */
  concurrency?: number;
  /** The worker script; defaults to intent-train-worker beside this file. */
  script?: string;
}

/** A training stopped by the trainer: past its time limit, out of memory, or its worker died. */
export class IntentTrainingLimitError extends Error {
  override name = 'IntentTrainingLimitError';
}

export interface TrainedIntentModel {
  classifier: IntentClassifier;
  /** The model's JSON text (IntentClassifier.fromJSON reads it back; IntentTrainer.load off-thread). */
  json: string;
  report: IntentTrainingReport;
  /** Time the worker spent on the CPU-bound step. */
  workerMillis: number;
}

export class IntentTrainer {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly live = new Set<Worker>();
  private closed = false;

  constructor(private readonly options: IntentTrainerOptions) {}

  /** Trains on the examples in a worker; the embedder (if any) embeds them here first. */
  async train(
    examples: readonly LabelledExample[],
    settings: IntentTrainingSettings & { embedder?: Embedder } = {},
  ): Promise<TrainedIntentModel> {
    const { embedder, ...rest } = settings;
    let embeddings: Extract<IntentWorkerTask, { kind: 'train' }>['embeddings'];
    if (embedder) {
      const { modelId, dim, vectors } = await embedTrainingExamples(embedder, examples);
      const texts = [...vectors.keys()];
      const flat = new Float32Array(texts.length * dim);
      texts.forEach((t, i) => flat.set(vectors.get(t)!, i * dim));
      embeddings = { modelId, dim, texts, vectors: flat };
    }
    const task: IntentWorkerTask = { kind: 'train', examples: [...examples], settings: rest, embeddings };
    const reply = await this.run(task, embeddings ? [embeddings.vectors.buffer as ArrayBuffer] : []);
    return {
      classifier: IntentClassifier.fromModel(reply.model, embedder, reply.report ?? null),
      json: reply.json!,
      report: reply.report!,
      workerMillis: reply.millis,
    };
  }

  /**
   * A stored model's JSON text, parsed in a worker (a large model's parse would stall the loop), with
   * the report of the training that made it when it was stored beside it.
   */
  async load(
    json: string,
    embedder?: Embedder,
    report: IntentTrainingReport | null = null,
  ): Promise<IntentClassifier> {
    const reply = await this.run({ kind: 'load', json }, []);
    return IntentClassifier.fromModel(reply.model, embedder, report);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.live].map((w) => w.terminate()));
    this.live.clear();
  }

  private async run(
    task: IntentWorkerTask,
    transfer: ArrayBuffer[],
  ): Promise<Extract<IntentWorkerReply, { ok: true }>> {
    if (this.closed) throw new Error('intent trainer is closed');
    if (this.running >= (this.options.concurrency ?? 1))
      await new Promise<void>((go) => this.waiting.push(go));
    this.running++;
    try {
      const worker = await this.spawn();
      try {
        return await this.exchange(worker, task, transfer);
      } finally {
        void worker.terminate();
      }
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  private async spawn(): Promise<Worker> {
    if (this.closed) throw new Error('intent trainer is closed');
    return startWorker({
      script: this.options.script ?? workerScript(__dirname, 'intent-train-worker'),
      maxHeapMb: this.options.maxHeapMb,
      name: 'intent training worker',
      live: this.live,
    });
  }

  private async exchange(
    worker: Worker,
    task: IntentWorkerTask,
    transfer: ArrayBuffer[],
  ): Promise<Extract<IntentWorkerReply, { ok: true }>> {
    let reply: IntentWorkerReply;
    try {
      reply = await askWorker<IntentWorkerReply>(worker, task, {
        timeoutMs: this.options.timeoutMs,
        transfer,
      });
    } catch (err) {
      if (err instanceof WorkerStoppedError) throw new IntentTrainingLimitError(this.stopped(task, err.stop));
      throw err;
    }
    if (!reply.ok) throw new Error(reply.message);
    return reply;
  }

  private stopped(task: IntentWorkerTask, stop: WorkerStop): string {
    const what = task.kind === 'train' ? `training on ${task.examples.length} examples` : 'loading the model';
    switch (stop.reason) {
      case 'out-of-memory':
        return `intent ${what} needed more than ${this.options.maxHeapMb} MiB of memory (limit WENDAO_INTENT_TRAIN_MAX_HEAP_MB)`;
      case 'crashed':
        return `intent ${what} crashed: ${stop.message}`;
      case 'exited':
        return `intent ${what}: the worker exited (code ${stop.code})`;
      case 'timeout':
        return `intent ${what} took longer than ${(this.options.timeoutMs / 1000).toFixed(1)} s (limit WENDAO_INTENT_TRAIN_TIMEOUT_MS)`;
    }
  }
}
