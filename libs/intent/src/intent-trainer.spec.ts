import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IntentClassifier, type LabelledExample } from './intent-classifier';
import { IntentTrainer, IntentTrainingLimitError } from './intent-trainer';
import { SeededRandom } from '@wendao/random';

/**
 * A few thousand synthetic utterances: each intent owns two keywords, every utterance is one of them
 * inside random filler characters, so the set is learnable and big enough to train for seconds.
 */
function syntheticExamples(intents: number, perIntent: number): LabelledExample[] {
  const random = new SeededRandom(11);
  const char = (from: number) => String.fromCodePoint(from + Math.floor(random.next() * 400));
  const filler = (n: number) => Array.from({ length: n }, () => char(0x4e00)).join('');
  const keywords = Array.from({ length: intents }, () => [filler(2), filler(2)]);
  const out: LabelledExample[] = [];
  for (let i = 0; i < intents; i++)
    for (let j = 0; j < perIntent; j++)
      out.push({ intent: `intent_${i}`, text: `${filler(3)}${keywords[i][j % 2]}${filler(4)}` });
  return out;
}

describe('IntentTrainer', () => {
  const examples = syntheticExamples(25, 80);
  const trainer = new IntentTrainer({ timeoutMs: 300_000, maxHeapMb: 1024 });
  afterAll(() => trainer.close());

  it('trains thousands of examples in a worker thread while the event loop keeps ticking', async () => {
    let maxStall = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      maxStall = Math.max(maxStall, now - last - 10);
      last = now;
    }, 10);
    try {
      const trained = await trainer.train(examples, { seed: 1, maxTerms: 4000 });
      // The work itself must take long enough that running it on the main thread would show.
      expect(trained.workerMillis).toBeGreaterThan(500);
      expect(maxStall).toBeLessThan(trained.workerMillis / 5);
      expect(trained.classifier.intents).toHaveLength(25);
      const held = examples.filter((_, i) => i % 97 === 0);
      const predicted = await trained.classifier.predict(held.map((e) => e.text));
      expect(predicted.map((p) => p.best)).toEqual(held.map((e) => e.intent));

      // The JSON text is the model: the off-thread load and fromJSON both give the same predictions.
      const texts = ['随便问问', ...held.map((e) => e.text)];
      const loaded = await trainer.load(trained.json);
      expect(await loaded.predict(texts)).toEqual(
        predicted.length ? await trained.classifier.predict(texts) : [],
      );
      expect(await IntentClassifier.fromJSON(JSON.parse(trained.json)).predict(texts)).toEqual(
        await trained.classifier.predict(texts),
      );
    } finally {
      clearInterval(ticker);
    }
  });

  it('gives the same model as training on the calling thread', async () => {
    const small = syntheticExamples(5, 8);
    const here = await IntentClassifier.train(small, { seed: 4 });
    const there = await trainer.train(small, { seed: 4 });
    expect(JSON.parse(there.json)).toEqual(JSON.parse(JSON.stringify(here.toJSON())));
    expect(there.report.threshold).toEqual(here.report?.threshold);
  });

  it('stops a training past its time limit and one past its heap limit; reports a training error as such', async () => {
    const slow = new IntentTrainer({ timeoutMs: 200, maxHeapMb: 1024 });
    await expect(slow.train(examples, { seed: 1 })).rejects.toThrow(IntentTrainingLimitError);
    await expect(slow.train(examples, { seed: 1 })).rejects.toThrow(/longer than 0.2 s/);
    // Training keeps its weights in typed arrays (outside the V8 heap): a worker that fills the heap.
    const dir = mkdtempSync(join(tmpdir(), 'intent-trainer-'));
    const script = join(dir, 'hungry-worker.js');
    writeFileSync(
      script,
      `const { parentPort } = require('node:worker_threads');
       parentPort.once('message', () => { const hoard = []; for (;;) hoard.push({ a: [1, 2, 3], s: 'x'.repeat(64) + hoard.length }); });
       parentPort.postMessage({ ready: true });`,
    );
    try {
      const hungry = new IntentTrainer({ timeoutMs: 60_000, maxHeapMb: 32, script });
      await expect(hungry.train(examples.slice(0, 10), { seed: 1 })).rejects.toThrow(/more than 32 MiB/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const one = examples.filter((e) => e.intent === 'intent_0');
    const failure = trainer.train(one);
    await expect(failure).rejects.toThrow(/two intents/);
    await expect(failure).rejects.not.toBeInstanceOf(IntentTrainingLimitError);
    // The trainer still works after its workers were stopped.
    expect((await trainer.train(syntheticExamples(3, 5), { seed: 2 })).classifier.intents).toHaveLength(3);
  });
});
