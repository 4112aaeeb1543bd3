/**
 * The body of an intent-training worker thread: one task per worker. `train` runs the CPU-bound
 * training step and posts back the model (weights transferred) and its JSON text for storage;
 * `load` parses a stored model's JSON off the main thread.
 */
import { parentPort } from 'node:worker_threads';
import {
  IntentClassifier,
  type IntentModelData,
  type IntentTrainingReport,
  type IntentTrainingSettings,
  type LabelledExample,
} from './intent-classifier';

export type IntentWorkerTask =
  | {
      kind: 'train';
      examples: LabelledExample[];
      settings: IntentTrainingSettings;
      /** The embeddings, row-major in `texts` order. */
      embeddings?: { modelId: string; dim: number; texts: string[]; vectors: Float32Array };
    }
  | { kind: 'load'; json: string };

export type IntentWorkerReply =
  | {
      ok: true;
      model: IntentModelData & { weights: Float64Array; bias: Float64Array };
      /** `train` only: the model's JSON text and the training report. */
      json?: string;
      report?: IntentTrainingReport;
      millis: number;
    }
  | { ok: false; message: string };

function toJsonText(model: IntentModelData): string {
  return JSON.stringify({ ...model, weights: Array.from(model.weights), bias: Array.from(model.bias) });
}

function run(task: IntentWorkerTask): IntentWorkerReply {
  const started = performance.now();
  if (task.kind === 'load') {
    const parsed = JSON.parse(task.json) as IntentModelData;
    if (parsed?.format !== 'wendao-intent-1') throw new Error('not a wendao-intent-1 model');
    const model = {
      ...parsed,
      weights: Float64Array.from(parsed.weights),
      bias: Float64Array.from(parsed.bias),
    };
    return { ok: true, model, millis: performance.now() - started };
  }
  const e = task.embeddings;
  const vectors = e
    ? new Map(e.texts.map((t, i) => [t, e.vectors.subarray(i * e.dim, (i + 1) * e.dim)]))
    : undefined;
  const { model, report } = IntentClassifier.trainModel(task.examples, {
    ...task.settings,
    embeddings: e && vectors ? { modelId: e.modelId, dim: e.dim, vectors } : undefined,
  });
  return { ok: true, model, json: toJsonText(model), report, millis: performance.now() - started };
}

parentPort?.once('message', (task: IntentWorkerTask) => {
  let reply: IntentWorkerReply;
  try {
    reply = run(task);
  } catch (err) {
    reply = { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  // Weights and bias own separate buffers (slices), each moved, not copied, to the trainer.
  const transfer = reply.ok ? [...new Set([reply.model.weights.buffer, reply.model.bias.buffer])] : [];
  parentPort!.postMessage(reply, transfer as ArrayBuffer[]);
});

// Loaded and listening: the trainer starts a task's clock only now, so start-up never counts against it.
parentPort?.postMessage({ ready: true });
