import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeTinyModel } from '@wendao/models';
import { askCommand } from './ask.command';

const SEED_QUESTION = '退货期限是多久？';
const SEED_PASSAGE = '我们的退货政策是签收后7天内可申请无理由退货，请确保商品未使用且包装完整。';

let root: string;
let emptyModels: string;
let modelsWithQa: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wendao-ask-'));
  emptyModels = join(root, 'no-models');
  modelsWithQa = join(root, 'models');
  await writeTinyModel(join(modelsWithQa, 'wendao', 'tiny-qa'), { head: 'qa', seed: 3 });
  return () => rmSync(root, { recursive: true, force: true });
});

describe('wendao ask', () => {
  it('prints 7天内 with its offsets and confidence in lexical mode for the seed example', async () => {
    const out = await askCommand({
      question: SEED_QUESTION,
      context: [SEED_PASSAGE],
      modelsDir: emptyModels,
    });
    expect(out.exitCode).toBe(0);
    const lines = out.output.split('\n');
    expect(lines[0]).toBe('7天内');
    expect(lines[1]).toMatch(/^ {2}offsets 11-14 \(duration\), confidence 0\.\d\d$/);
    expect(lines.at(-1)).toBe('mode: lexical');
  });

  it('prints JSON with the span, the decision, the threshold and the mode', async () => {
    const file = join(root, 'faq.txt');
    writeFileSync(file, '订单满99元包邮，不满收取10元运费。');
    const out = await askCommand({
      question: '满多少钱包邮？',
      contextFile: [file],
      json: true,
      modelsDir: emptyModels,
    });
    const body = JSON.parse(out.output);
    expect(body.answer).toMatchObject({ text: '99元', start: 3, end: 6, passageIndex: 0 });
    expect(body.mode).toBe('lexical');
    expect(body.model).toBeNull();
    expect(body.decision).toBe('extracted');
    expect(body.threshold).toBeGreaterThan(0);
  });

  it('says so when the context does not answer', async () => {
    const out = await askCommand({
      question: '天气怎么样？',
      context: [SEED_PASSAGE],
      modelsDir: emptyModels,
    });
    expect(out.exitCode).toBe(0);
    expect(out.output).toMatch(/^no answer found/);
  });

  it('uses a QA model found in the models directory, or the one named with --model', async () => {
    const found = await askCommand({
      question: SEED_QUESTION,
      context: [SEED_PASSAGE],
      modelsDir: modelsWithQa,
      json: true,
    });
    const body = JSON.parse(found.output);
    expect(body.mode).toBe('neural');
    expect(body.model).toBe('wendao/tiny-qa');
    // Random weights: answered or not, the best span points exactly into the passage.
    const best = body.answer ?? body.spans[0];
    expect(SEED_PASSAGE.slice(best.start, best.end)).toBe(best.text);

    const named = await askCommand({
      question: SEED_QUESTION,
      context: [SEED_PASSAGE],
      model: 'tiny-qa',
      modelsDir: modelsWithQa,
    });
    expect(named.output.split('\n').at(-1)).toBe('mode: neural (wendao/tiny-qa)');

    const forced = await askCommand({
      question: SEED_QUESTION,
      context: [SEED_PASSAGE],
      lexical: true,
      modelsDir: modelsWithQa,
    });
    expect(forced.output.split('\n')[0]).toBe('7天内');
  });

  it('reads a question without letters in the language --language names, a question with letters in its own', async () => {
    // `wendao ask -q 48` was read by the English reader (no letters: not Chinese) whoever asked it.
    const byLanguage = join(root, 'models-by-language');
    await writeTinyModel(join(byLanguage, 'wendao', 'tiny-qa-zh'), {
      head: 'qa',
      seed: 3,
      languages: ['zh'],
    });
    await writeTinyModel(join(byLanguage, 'wendao', 'tiny-qa-en'), {
      head: 'qa',
      seed: 3,
      languages: ['en'],
    });
    const context = ['现货商品付款后48小时内发货。'];
    const mode = async (question: string, language?: string) =>
      (await askCommand({ question, context, language, modelsDir: byLanguage })).output.split('\n').at(-1);
    expect(await mode('48', 'zh')).toBe('mode: neural (wendao/tiny-qa-zh)');
    expect(await mode('48', 'en')).toBe('mode: neural (wendao/tiny-qa-en)');
    // Without --language, Chinese, as POST /api/kbs/:id/ask without a language (was: English).
    expect(await mode('48')).toBe('mode: neural (wendao/tiny-qa-zh)');
    expect(await mode('When will it ship?', 'zh')).toBe('mode: neural (wendao/tiny-qa-en)');
    expect(await mode('多久发货？', 'en')).toBe('mode: neural (wendao/tiny-qa-zh)');
    // The pipeline replies in it too (the outcome's fallback text; the command prints 'no answer found').
    const unanswered = await askCommand({
      question: '99',
      context: [SEED_PASSAGE],
      language: 'zh',
      modelsDir: emptyModels,
    });
    expect(unanswered.outcome).toMatchObject({ type: 'fallback' });
    expect(unanswered.outcome?.answer).toMatch(/^抱歉/);
    const english = await askCommand({
      question: '99',
      context: [SEED_PASSAGE],
      language: 'en',
      modelsDir: emptyModels,
    });
    expect(english.outcome?.answer).toMatch(/^Sorry/);
    // No --language: answered in Chinese, as the REST ask answers it (was: the English fallback).
    const unsaid = await askCommand({ question: '99', context: [SEED_PASSAGE], modelsDir: emptyModels });
    expect(unsaid.outcome).toMatchObject({ type: 'fallback' });
    expect(unsaid.outcome?.answer).toMatch(/^抱歉/);
  });

  it('exits 2 with a clear message when the question or the context is missing', async () => {
    expect(await askCommand({ context: [SEED_PASSAGE], modelsDir: emptyModels })).toEqual({
      exitCode: 2,
      output: 'wendao ask: --question is required and must not be empty',
    });
    const noContext = await askCommand({ question: SEED_QUESTION, context: ['  '], modelsDir: emptyModels });
    expect(noContext.exitCode).toBe(2);
    expect(noContext.output).toMatch(/--context TEXT or --context-file FILE/);
    const badFile = await askCommand({
      question: SEED_QUESTION,
      contextFile: [join(root, 'missing.txt')],
      modelsDir: emptyModels,
    });
    expect(badFile.exitCode).toBe(2);
    expect(badFile.output).toMatch(/cannot read --context-file/);
    const badTopK = await askCommand({
      question: SEED_QUESTION,
      context: [SEED_PASSAGE],
      topK: Number.NaN,
      modelsDir: emptyModels,
    });
    expect(badTopK).toMatchObject({
      exitCode: 2,
      output: 'wendao ask: --top-k must be a positive integer, got NaN',
    });
    expect(
      await askCommand({ question: '48', context: [SEED_PASSAGE], language: 'fr', modelsDir: emptyModels }),
    ).toEqual({ exitCode: 2, output: 'wendao ask: --language must be zh or en, got fr' });
  });

  it('fails clearly for a model that does not exist', async () => {
    await expect(
      askCommand({ question: SEED_QUESTION, context: [SEED_PASSAGE], model: 'nope', modelsDir: emptyModels }),
    ).rejects.toThrow(/no model "nope"/);
  });
});
