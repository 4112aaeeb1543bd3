/**
 * The body of a parser worker thread: receives one file at a time from ParserPool, parses it with the
 * limits it was given and posts back the result or the ingest error (by name, with its failure as data, so
 * the pool can rebuild it).
 */
import { parentPort } from 'node:worker_threads';
import { IngestError } from './ingest-errors';
import { parseFile, type ParseLimits } from './parse-file';

export interface ParseTask {
  buffer: Uint8Array;
  fileName: string;
  mimeType?: string;
  limits: ParseLimits;
}

parentPort?.on('message', (task: ParseTask) => {
  const buffer = Buffer.from(task.buffer.buffer, task.buffer.byteOffset, task.buffer.byteLength);
  parseFile(buffer, task.fileName, task.mimeType, task.limits).then(
    (result) => parentPort!.postMessage({ ok: true, result }),
    (err: unknown) =>
      parentPort!.postMessage({
        ok: false,
        error: {
          name: err instanceof Error ? err.name : 'Error',
          message: err instanceof Error ? err.message : String(err),
          ...(err instanceof IngestError ? { failure: err.failure } : {}),
        },
      }),
  );
});

// Loaded and listening: the pool starts a task's clock only now, so start-up never counts against it.
parentPort?.postMessage({ ready: true });
