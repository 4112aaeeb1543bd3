/**
 * The out-of-domain guard on the reference models (`npm run test:models`): on the held-out English
 * shop set with all-MiniLM-L6-v2 as `npm start` loads it (INT8), the guard makes more out-of-scope
 * questions fall back and costs at most a few right answers ("What time does Boots in Piccadilly
 * close?" was answered from the shop's opening-hours FAQ without it). Skipped without ./models.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AnswerPipeline, loadAnswerModels, type AnswerModels } from '@wendao/answer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadShopSet } from '../src/datasets/shop-set';
import { evaluateShop } from '../src/runs/shop-eval';

const MINILM = 'sentence-transformers/all-MiniLM-L6-v2';
// Where `npm run models:reference` lays the reference models (the encoder tier's folder too).
const modelsDir = resolve(process.env.WENDAO_MODELS_DIR ?? join(__dirname, '../../..', 'models'));
const present = existsSync(join(modelsDir, MINILM, 'wendao.json'));

describe.skipIf(!present)('out-of-domain guard with all-MiniLM-L6-v2 (en-test shop set)', () => {
  let models: AnswerModels;
  beforeAll(async () => {
    models = await loadAnswerModels({
      modelsDir,
      encoder: MINILM,
      reader: false,
      embeddingCacheSize: 0,
    });
  });
  afterAll(() => models?.close());

  it('makes more out-of-scope questions fall back, for at most two right answers', async () => {
    const set = loadShopSet('en-test');
    const run = (guarded: boolean) =>
      evaluateShop(
        set,
        new AnswerPipeline({
          embedder: models.embedders,
          reader: models.readers,
          ...(guarded ? {} : { outOfDomainGuard: null }),
        }),
      );
    const without = await run(false);
    const withGuard = await run(true);
    expect(withGuard.calibration?.thresholds).toEqual(without.calibration?.thresholds);
    expect(withGuard.outOfScope.fallback).toBeGreaterThanOrEqual(without.outOfScope.fallback + 2);
    expect(withGuard.paraphrases.correct).toBeGreaterThanOrEqual(without.paraphrases.correct - 2);
    expect(withGuard.paraphrases.wrong).toBeLessThanOrEqual(without.paraphrases.wrong);

    const answered = (r: typeof without) =>
      r.failures.filter((f) => f.kind === 'out-of-scope').map((f) => f.question);
    const caught = answered(without).filter((q) => !answered(withGuard).includes(q));
    expect(caught).toContain('What time does Boots in Piccadilly close?');
    expect(answered(withGuard).every((q) => answered(without).includes(q))).toBe(true);
  });
});
