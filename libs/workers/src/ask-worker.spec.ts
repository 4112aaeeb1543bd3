import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { askWorker, WorkerStoppedError } from './ask-worker';

const dir = mkdtempSync(join(tmpdir(), 'wendao-ask-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A worker running `body` on each message `task`. */
function worker(name: string, body: string): Worker {
  const file = join(dir, name);
  writeFileSync(
    file,
    `const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (task) => { ${body} });`,
  );
  return new Worker(file);
}

async function stopOf(promise: Promise<unknown>): Promise<unknown> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkerStoppedError);
  return (err as WorkerStoppedError).stop;
}

describe('askWorker', () => {
  it('resolves with the reply and leaves the worker running for the next task', async () => {
    const w = worker('double.js', 'parentPort.postMessage(task * 2);');
    try {
      expect(await askWorker(w, 21, { timeoutMs: 10_000 })).toBe(42);
      expect(await askWorker(w, 5, { timeoutMs: 10_000 })).toBe(10);
    } finally {
      await w.terminate();
    }
  });

  it('says why a worker stopped without replying: it exited, threw, or ran past the time limit (then it is terminated)', async () => {
    expect(await stopOf(askWorker(worker('exit.js', 'process.exit(3);'), 1, { timeoutMs: 10_000 }))).toEqual({
      reason: 'exited',
      code: 3,
    });
    expect(
      await stopOf(askWorker(worker('throw.js', "throw new Error('bad task');"), 1, { timeoutMs: 10_000 })),
    ).toEqual({ reason: 'crashed', message: 'bad task' });
    const hung = worker('hang.js', 'for (;;) {}');
    const exited = new Promise((resolve) => hung.once('exit', resolve));
    expect(await stopOf(askWorker(hung, 1, { timeoutMs: 200 }))).toEqual({ reason: 'timeout' });
    await exited;
  });
});
