/**
 * @wendao/workers: worker threads started and asked the same way wherever a lib moves CPU-bound or
 * untrusted work off the event loop (parsing uploads, training intent models).
 */
export { startWorker, workerScript, type StartWorkerOptions } from './start-worker';
export { askWorker, WorkerStoppedError, type AskWorkerOptions, type WorkerStop } from './ask-worker';
