import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '@wendao/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { LanguageRoutedReader, LexicalReader } from '@wendao/reader';
import {
  loadAnswerModels,
  modelLanguages,
  parseModelChoice,
  pickModel,
  servesLanguage,
} from './answer-models';
import { AnswerPipeline } from './answer-pipeline';

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
      const embedder = models.embedders.zh!;
      expect(embedder.modelId).toBe(models.used[0].modelId);
      // A folder that names no language serves every KB language, each with the same loaded model.
      expect(models.embedders.en).toBe(embedder);
      expect(models.used[0].serves).toEqual(['zh', 'en', 'mixed']);
      expect(models.used[0].layout).toBe('padded');
      expect(Object.values(models.readers).map((r) => r.mode)).toEqual(['neural', 'neural', 'neural']);
      // A folder that names no language reads for every KB language.
      expect(models.used[1].serves).toEqual(['zh', 'en', 'mixed']);
      expect(models.reranker).toBeUndefined();
      expect((await embedder.embed(['退货'])).vectors[0]).toHaveLength(embedder.dim);
    } finally {
      await models.close();
    }
    // Closed means the ONNX session is gone: a text not in the cache cannot be embedded any more.
    await expect(models.embedders.zh!.embed(['换货'])).rejects.toThrow();
  });

  it('loads a reranker only when asked for, and only beside an embedder', async () => {
    const withReranker = await loadAnswerModels({ modelsDir, reader: false, reranker: true, packed: false });
    expect(withReranker.used.map((m) => m.role)).toEqual(['embedder', 'reranker']);
    expect(withReranker.reranker).toBeDefined();
    expect(withReranker.readers.mixed.mode).toBe('lexical');
    await withReranker.close();

    const noEmbedder = await loadAnswerModels({ modelsDir, encoder: false, reader: false, reranker: true });
    expect(noEmbedder.used).toEqual([]);
    expect(noEmbedder.reranker).toBeUndefined();
  });

  it('is lexical with no models found, when told to be, or when nothing is asked for', async () => {
    for (const options of [{ modelsDir: emptyDir }, { modelsDir, lexical: true }, {}]) {
      const models = await loadAnswerModels(options);
      expect(models.used).toEqual([]);
      expect(models.embedders).toEqual({});
      expect(models.readers.zh.mode).toBe('lexical');
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

/** A tiny model folder whose wendao.json names its languages, as `wendao models pull` records the catalog's. */
async function writeModelFor(dir: string, head: 'embedder' | 'qa', languages: string[], seed: number) {
  await writeTinyModel(dir, {
    head,
    seed,
    languages,
    ...(head === 'embedder' ? { pooling: 'mean' as const } : {}),
  });
}

describe('models per KB language', () => {
  let both: string;
  let englishOnly: string;

  beforeAll(async () => {
    both = join(root, 'by-language');
    // Sorted first, an English reader: it may not read Chinese.
    await writeModelFor(join(both, 'aaa', 'en-qa'), 'qa', ['en'], 11);
    // The multilingual embedder sorts first; Chinese KBs still get the one made for Chinese.
    await writeModelFor(join(both, 'aaa', 'multi-embedder'), 'embedder', ['zh', 'en', 'multilingual'], 13);
    await writeModelFor(join(both, 'bbb', 'zh-embedder'), 'embedder', ['zh'], 12);
    await writeModelFor(join(both, 'zzz', 'zh-qa'), 'qa', ['zh'], 14);
    englishOnly = join(root, 'english-only');
    await writeModelFor(join(englishOnly, 'aaa', 'en-qa'), 'qa', ['en'], 11);
  });

  it("knows a folder's languages from wendao.json, else from the default catalog, else serves every language", () => {
    const squad = { id: 'distilbert/distilbert-base-cased-distilled-squad' };
    expect(modelLanguages(squad)).toEqual(['en']);
    expect(servesLanguage(squad, 'zh')).toBe(false);
    expect(servesLanguage(squad, 'mixed')).toBe(false);
    const multilingual = { id: 'sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2' };
    expect(servesLanguage(multilingual, 'mixed')).toBe(true);
    expect(servesLanguage({ id: 'BAAI/bge-small-zh-v1.5' }, 'en')).toBe(false);
    // wendao.json wins over the catalog; a folder that says nothing serves every language.
    expect(servesLanguage({ id: 'BAAI/bge-small-zh-v1.5', languages: ['en'] }, 'en')).toBe(true);
    expect(servesLanguage({ id: 'my-org/reader' }, 'zh')).toBe(true);
  });

  it("picks an embedder and a reader per KB language and routes a mixed KB's questions by their script", async () => {
    expect(pickModel('qa', undefined, { modelsDir: both })?.id).toBe('aaa/en-qa');
    expect(pickModel('qa', undefined, { modelsDir: both, language: 'zh' })?.id).toBe('zzz/zh-qa');
    expect(pickModel('qa', undefined, { modelsDir: both, language: 'mixed' })).toBeUndefined();
    const models = await loadAnswerModels({ modelsDir: both, packed: false });
    try {
      expect(models.used.map((m) => [m.role, m.id, m.serves])).toEqual([
        // Chinese KBs embed with the first Chinese model; English and mixed ones with the one serving both.
        ['embedder', 'bbb/zh-embedder', ['zh']],
        ['embedder', 'aaa/multi-embedder', ['en', 'mixed']],
        ['reader', 'zzz/zh-qa', ['zh', 'mixed']],
        ['reader', 'aaa/en-qa', ['en', 'mixed']],
      ]);
      const { zh, en, mixed } = models.readers;
      expect([zh.mode, en.mode]).toEqual(['neural', 'neural']);
      expect(zh).not.toBe(en);
      expect(mixed).toBeInstanceOf(LanguageRoutedReader);
      const routed = mixed as LanguageRoutedReader;
      expect(routed.readerFor('退货期限是多久？')).toBe(zh);
      expect(routed.readerFor('How long do I have to return an item?')).toBe(en);
      // Mostly English with a product name in Chinese is still English.
      expect(routed.readerFor('Is 蓝牙耳机 covered by the warranty?')).toBe(en);
      expect(models.embedders.zh).not.toBe(models.embedders.en);
      const pipeline = new AnswerPipeline({ embedder: models.embedders, reader: models.readers });
      expect(pipeline.scoreModes('zh')).toEqual({ faq: 'neural', answer: 'neural' });
      expect(pipeline.embedderFor('zh')).toBe(models.embedders.zh);
    } finally {
      await models.close();
    }
  });

  it('reads Chinese with the lexical reader when only an English model exists, never with the English one', async () => {
    const models = await loadAnswerModels({ modelsDir: englishOnly, packed: false });
    try {
      expect(models.readers.zh).toBeInstanceOf(LexicalReader);
      expect(models.readers.en.mode).toBe('neural');
      // A mixed KB reads with the one model there is, as it would with no language known.
      expect(models.readers.mixed).toBe(models.readers.en);
      expect(models.used.map((m) => [m.id, m.serves])).toEqual([['aaa/en-qa', ['en', 'mixed']]]);
      expect(models.embedders).toEqual({});
      const pipeline = new AnswerPipeline({ reader: models.readers });
      expect(pipeline.scoreModes('zh')).toEqual({ faq: 'lexical', answer: 'lexical' });
      expect(pipeline.scoreModes('en').answer).toBe('neural');
    } finally {
      await models.close();
    }
    // A named reader reads every language: the operator chose it.
    const named = await loadAnswerModels({ modelsDir: englishOnly, reader: 'aaa/en-qa', packed: false });
    expect(named.readers.zh.mode).toBe('neural');
    await named.close();
  });

  it('takes a model named for a KB language for that language only', async () => {
    expect(parseModelChoice(' org/name ')).toBe('org/name');
    expect(parseModelChoice('en=readers/medical, zh=uer/qa')).toEqual({
      en: 'readers/medical',
      zh: 'uer/qa',
    });
    expect(() => parseModelChoice('fr=camembert')).toThrow(
      /language=name pairs \(zh, en, mixed\), got "fr=camembert"/,
    );
    expect(() => parseModelChoice('en=')).toThrow(/got "en="/);
    // Chinese KBs would take the Chinese embedder; named, they take the multilingual one, which
    // English KBs pick anyway and mixed ones share; the Chinese embedder is not even loaded.
    const models = await loadAnswerModels({
      modelsDir: both,
      encoder: { zh: 'aaa/multi-embedder' },
      reader: { en: 'zzz/zh-qa' },
      packed: false,
    });
    try {
      expect(models.used.map((m) => [m.role, m.id, m.serves])).toEqual([
        ['embedder', 'aaa/multi-embedder', ['zh', 'en', 'mixed']],
        ['reader', 'zzz/zh-qa', ['zh', 'en', 'mixed']],
      ]);
    } finally {
      await models.close();
    }
    await expect(loadAnswerModels({ modelsDir: both, reader: { en: 'nope' } })).rejects.toThrow(
      /no model "nope"/,
    );
  });

  it('matches an English KB lexically when the only embedder is Chinese; a mixed KB embeds with it', async () => {
    const dir = join(root, 'chinese-embedder-only');
    await writeModelFor(join(dir, 'aaa', 'zh-embedder'), 'embedder', ['zh'], 12);
    const models = await loadAnswerModels({ modelsDir: dir, packed: false });
    try {
      expect(models.embedders.zh).toBeDefined();
      expect(models.embedders.mixed).toBe(models.embedders.zh);
      expect(models.embedders.en).toBeUndefined();
      const pipeline = new AnswerPipeline({ embedder: models.embedders, reader: models.readers });
      expect(pipeline.scoreModes('en').faq).toBe('lexical');
      expect(pipeline.scoreModes('mixed').faq).toBe('neural');
    } finally {
      await models.close();
    }
  });
});
