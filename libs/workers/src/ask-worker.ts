/**
 * One task to a worker thread and its one reply, held to a time limit: what ParserPool and
 * IntentTrainer do with every task. A worker that errs, exits, runs out of heap or past the limit is
 * terminated, and the wait ends in a WorkerStoppedError saying which; each caller words it for its users.
 */
import type { Worker } from 'node:worker_threads';

export type WorkerStop =
  | { reason: 'timeout' }
  | { reason: 'out-of-memory' }
  | { reason: 'crashed'; message: string }
  | { reason: 'exited'; code: number };

export class WorkerStoppedError extends Error {
  override name = 'WorkerStoppedError';

  constructor(readonly stop: WorkerStop) {
    super(`worker stopped: ${stop.reason}`);
  }
}

export interface AskWorkerOptions {
  /** The reply must come within this many milliseconds. */
  timeoutMs: number;
  /** Buffers moved to the worker with the task, not copied. */
  transfer?: ArrayBuffer[];
}

/** Posts `task` and resolves with the worker's next message; the worker stays running after a reply. */
export function askWorker<Reply>(worker: Worker, task: unknown, options: AskWorkerOptions): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      outcome();
    };
    const stop = (why: WorkerStop) =>
      finish(() => {
        void worker.terminate();
        reject(new WorkerStoppedError(why));
      });
    const onMessage = (reply: Reply) => finish(() => resolve(reply));
    const onError = (err: Error & { code?: string }) =>
      stop(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { reason: 'out-of-memory' }
          : { reason: 'crashed', message: err.message },
      );
    const onExit = (code: number) => stop({ reason: 'exited', code });
    const timer = setTimeout(() => stop({ reason: 'timeout' }), options.timeoutMs);
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    worker.postMessage(task, options.transfer ?? []);
  });
}
