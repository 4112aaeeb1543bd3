import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { writeTinyModel } from '@wendao/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SentenceEncoder } from './sentence-encoder';
import { ThreadedEncoder } from './threaded-encoder';

const TEXTS = [
  '退货期限是多久？',
  '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。',
  'How long does a refund take?',
  '运费怎么算',
  'Can I change my shipping address after placing an order?',
];

describe('ThreadedEncoder', () => {
  let root: string;
  let dir: string;
  let inThread: SentenceEncoder;
  let threaded: ThreadedEncoder;
  const workerOf = (e: ThreadedEncoder) => (e as unknown as { active?: { worker: Worker } }).active?.worker;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'wendao-threaded-encoder-'));
    dir = join(root, 'embedder');
    await writeTinyModel(dir, { head: 'embedder', pooling: 'mean', seed: 11 });
    inThread = await SentenceEncoder.load(dir, { cacheSize: 0 });
    threaded = await ThreadedEncoder.load(dir, { cacheSize: 0 });
  }, 60_000);
  afterAll(async () => {
    await inThread?.close();
    await threaded?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('gives the in-thread encoder’s vectors, for a batch and for concurrent single calls', async () => {
    expect(threaded.modelId).toBe(inThread.modelId);
    expect(threaded.dim).toBe(inThread.dim);
    expect(threaded.layout).toBe(inThread.layout);
    const expected = await inThread.embed(TEXTS);
    const batch = await threaded.embed(TEXTS);
    expect(batch.truncated).toEqual(expected.truncated);
    batch.vectors.forEach((v, i) => expect(Array.from(v)).toEqual(Array.from(expected.vectors[i])));
    const singles = await Promise.all(TEXTS.map((t) => threaded.embedOne(t)));
    for (const [i, v] of singles.entries()) {
      const alone = await inThread.embedOne(TEXTS[i]);
      expect(Array.from(v)).toEqual(Array.from(alone));
    }
  });

  it('refuses bad input with the in-thread encoder’s error types, and a missing folder at load', async () => {
    await expect(threaded.embed(['ok', '  '])).rejects.toThrow(RangeError);
    await expect(threaded.embed([42 as unknown as string])).rejects.toThrow(TypeError);
    await expect(threaded.embedOne('')).rejects.toThrow(RangeError);
    expect((await threaded.embed([])).vectors).toEqual([]);
    await expect(ThreadedEncoder.load(join(root, 'missing'))).rejects.toThrow(/missing/);
  });

  it('fails the calls a dying worker held, and starts a new worker for the next call', async () => {
    const first = workerOf(threaded)!;
    const counted = threaded.stats.textsEncoded;
    expect(counted).toBeGreaterThanOrEqual(TEXTS.length);
    // The worker stops before it reads the call (terminating it mid-run would abort the process:
    // onnxruntime-node returns into a torn-down thread), so the call is held when it dies.
    first.postMessage({ kind: 'close' });
    const held = threaded.embed(TEXTS);
    await expect(held).rejects.toThrow(/encoder worker stopped \(exit code 0\)/);
    const again = await threaded.embedOne(TEXTS[0]);
    expect(Array.from(again)).toEqual(Array.from(await inThread.embedOne(TEXTS[0])));
    expect(workerOf(threaded)).not.toBe(first);
    // The counters keep what the stopped worker did.
    expect(threaded.stats.textsEncoded).toBeGreaterThan(counted);
  });

  it('is unusable after close', async () => {
    const encoder = await ThreadedEncoder.load(dir, { cacheSize: 0 });
    await encoder.close();
    await expect(encoder.embedOne('x')).rejects.toThrow(/closed/);
  });

  it('answers the calls made before close, then its worker exits by itself', async () => {
    const encoder = await ThreadedEncoder.load(dir, { cacheSize: 0 });
    const worker = workerOf(encoder)!;
    const exitCode = new Promise<number>((resolve) => worker.once('exit', resolve));
    const inFlight = [encoder.embed(TEXTS), encoder.embed(TEXTS.slice(0, 2))];
    await encoder.close();
    const [all, two] = await Promise.all(inFlight);
    expect(all.vectors.map((v) => Array.from(v))).toEqual(
      (await inThread.embed(TEXTS)).vectors.map((v) => Array.from(v)),
    );
    expect(two.vectors).toHaveLength(2);
    expect(await exitCode).toBe(0);
  });
});
