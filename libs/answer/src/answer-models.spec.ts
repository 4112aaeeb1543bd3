import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '@wendao/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAnswerModels, pickModel } from './answer-models';

let root: string;
let modelsDir: string;
let emptyDir: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wendao-answer-models-'));
  modelsDir = join(root, 'models');
  emptyDir = join(root, 'empty');
  mkdirSync(emptyDir);
  await writeTinyModel(join(modelsDir, 'wendao', 'tiny-embedder'), {
    head: 'embedder',
    pooling: 'mean',
    seed: 5,
  });
  await writeTinyModel(join(modelsDir, 'wendao', 'tiny-qa'), { head: 'qa', seed: 3 });
  await writeTinyModel(join(modelsDir, 'wendao', 'tiny-reranker'), {
    head: 'classifier',
    numLabels: 1,
    seed: 7,
  });
  // An incomplete folder sorts first: the search for the first model of a task passes over it and says why.
  mkdirSync(join(modelsDir, 'aaa-broken'));
  writeFileSync(join(modelsDir, 'aaa-broken', 'config.json'), '{}');
  return () => rmSync(root, { recursive: true, force: true });
});

describe('pickModel', () => {
  it('takes the first folder of the task and reports the incomplete ones it passes over', () => {
    const skipped: string[] = [];
    const folder = pickModel('qa', undefined, { modelsDir, onSkip: (dir) => skipped.push(dir) });
    expect(folder?.id).toBe('wendao/tiny-qa');
    expect(skipped).toEqual([join(modelsDir, 'aaa-broken')]);
    expect(pickModel('qa', undefined, { modelsDir: emptyDir })).toBeUndefined();
    expect(pickModel('qa', undefined, {})).toBeUndefined();
  });

  it('resolves a named model by bare name, org/name or path', () => {
    expect(pickModel('embedder', 'tiny-embedder', { modelsDir })?.id).toBe('wendao/tiny-embedder');
    expect(pickModel('qa', 'wendao/tiny-qa', { modelsDir })?.task).toBe('qa');
    const byPath = pickModel('qa', join(modelsDir, 'wendao', 'tiny-qa'), {});
    expect(byPath?.dir).toBe(join(modelsDir, 'wendao', 'tiny-qa'));
  });

  it('fails on a named model that is missing or of another task, naming what exists', () => {
    expect(() => pickModel('qa', 'nope', { modelsDir })).toThrow(
      /no model "nope" \(looked for a folder and under .*models; have: wendao\/tiny-embedder \(embedder\), wendao\/tiny-qa \(qa\), wendao\/tiny-reranker \(classifier\)\)/,
    );
    expect(() => pickModel('qa', 'nope', { modelsDir: emptyDir })).toThrow(/have: none/);
    expect(() => pickModel('embedder', 'tiny-qa', { modelsDir })).toThrow(
      /model "tiny-qa" is a qa model, not an embedder \(have: .*tiny-embedder \(embedder\)/,
    );
  });
});

describe('loadAnswerModels', () => {
  it('loads the first embedder and QA reader found, and closes them', async () => {
    const models = await loadAnswerModels({ modelsDir, packed: false });
    try {
      expect(models.used.map((m) => [m.role, m.id])).toEqual([
        ['embedder', 'wendao/tiny-embedder'],
        ['reader', 'wendao/tiny-qa'],
      ]);
      // The encoder's own id (wendao.json), which the API stores with embeddings.
      expect(models.embedder?.modelId).toBe(models.used[0].modelId);
      expect(models.used[0].layout).toBe('padded');
      expect(models.reader.mode).toBe('neural');
      expect(models.reranker).toBeUndefined();
      expect((await models.embedder!.embed(['退货'])).vectors[0]).toHaveLength(models.embedder!.dim);
    } finally {
      await models.close();
    }
    // Closed means the ONNX session is gone: a text not in the cache cannot be embedded any more.
    await expect(models.embedder!.embed(['换货'])).rejects.toThrow();
  });

  it('loads a reranker only when asked for, and only beside an embedder', async () => {
    const withReranker = await loadAnswerModels({ modelsDir, reader: false, reranker: true, packed: false });
    expect(withReranker.used.map((m) => m.role)).toEqual(['embedder', 'reranker']);
    expect(withReranker.reranker).toBeDefined();
    expect(withReranker.reader.mode).toBe('lexical');
    await withReranker.close();

    const noEmbedder = await loadAnswerModels({ modelsDir, encoder: false, reader: false, reranker: true });
    expect(noEmbedder.used).toEqual([]);
    expect(noEmbedder.reranker).toBeUndefined();
  });

  it('is lexical with no models found, when told to be, or when nothing is asked for', async () => {
    for (const options of [{ modelsDir: emptyDir }, { modelsDir, lexical: true }, {}]) {
      const models = await loadAnswerModels(options);
      expect(models.used).toEqual([]);
      expect(models.embedder).toBeUndefined();
      expect(models.reader.mode).toBe('lexical');
      await models.close();
    }
  });

  it('loads a named model and refuses a missing or mistyped one instead of falling back to lexical', async () => {
    const named = await loadAnswerModels({ modelsDir, encoder: false, reader: 'tiny-qa', packed: false });
    expect(named.used.map((m) => m.id)).toEqual(['wendao/tiny-qa']);
    await named.close();
    await expect(loadAnswerModels({ modelsDir, reader: 'tiny-embedder' })).rejects.toThrow(
      /is an embedder model, not an extractive QA reader/,
    );
    await expect(loadAnswerModels({ modelsDir: emptyDir, encoder: 'e5-small' })).rejects.toThrow(
      /no model "e5-small"/,
    );
  });
});
