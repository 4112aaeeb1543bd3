import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { startWorker, workerScript } from './start-worker';

// Under test/: kept out of the build, inside the project (the .ts bootstrap looks for its .swcrc).
const fixtures = join(__dirname, '..', 'test', 'fixtures');
const outside = mkdtempSync(join(tmpdir(), 'wendao-start-worker-'));
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('startWorker', () => {
  it('runs a .ts script with the @wendao aliases under the heap limit, kept in `live` until it exits', async () => {
    const live = new Set<Worker>();
    const worker = await startWorker({
      script: workerScript(fixtures, 'ready-worker'),
      maxHeapMb: 64,
      name: 'test worker',
      live,
    });
    expect(live.has(worker)).toBe(true);
    expect(worker.resourceLimits?.maxOldGenerationSizeMb).toBe(64);
    expect(worker.resourceLimits?.maxYoungGenerationSizeMb).toBe(8);
    const reply = new Promise((resolve) => worker.once('message', resolve));
    worker.postMessage('ＡＢＣ？');
    expect(await reply).toBe('abc');
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    await worker.terminate();
    await exited;
    expect(live.size).toBe(0);
  });

  it('rejects, naming the worker, when the script fails before it is ready', async () => {
    await expect(
      startWorker({ script: join(fixtures, 'failing-worker.ts'), maxHeapMb: 64, name: 'test worker' }),
    ).rejects.toThrow('test worker failed to start: cannot load the model');
  });

  it('runs a .js script as it is, and refuses a .ts script with no project above it', async () => {
    writeFileSync(
      join(outside, 'plain.js'),
      "require('node:worker_threads').parentPort.postMessage('ready');",
    );
    writeFileSync(join(outside, 'plain.ts'), '');
    expect(workerScript(outside, 'plain')).toBe(join(outside, 'plain.js'));
    const worker = await startWorker({
      script: join(outside, 'plain.js'),
      maxHeapMb: 64,
      name: 'test worker',
    });
    await worker.terminate();
    await expect(
      startWorker({ script: join(outside, 'plain.ts'), maxHeapMb: 64, name: 'test worker' }),
    ).rejects.toThrow(`no .swcrc above ${join(outside, 'plain.ts')} to compile the test worker with`);
  });
});
