import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel } from '@wendao/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchCommand } from './search.command';

// A BOM, a quoted answer with commas, alternates split by | and ；, a blank line and an English row.
const CSV =
  '\uFEFFQuestion,Answer,Alternates\n' +
  '如何申请退货？,"签收7天内可无理由退货，在“我的订单”中申请即可。",退货流程是什么|怎么退换\n' +
  '可以开发票吗？,支持电子普通发票和增值税专用发票。,发票怎么开；能开专票吗\n' +
  '运费怎么收？,订单满99元包邮，不满99元收取运费8元。,\n' +
  '\n' +
  '客服电话是多少？,客服热线400-800-1234，每天9:00-21:00。,人工客服\n' +
  'How do I reset my password?,"Click ""Forgot password"" on the sign-in page, then follow the email.",\n';

let root: string;
let faqFile: string;
let noModels: string;
let withEmbedder: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wendao-search-'));
  faqFile = join(root, 'faq.csv');
  writeFileSync(faqFile, CSV);
  noModels = join(root, 'no-models');
  withEmbedder = join(root, 'models');
  await writeTinyModel(join(withEmbedder, 'wendao', 'tiny-embedder'), {
    head: 'embedder',
    pooling: 'mean',
    seed: 5,
  });
  return () => rmSync(root, { recursive: true, force: true });
});

describe('wendao search', () => {
  it('finds the invoice FAQ in lexical mode and says so', async () => {
    const out = await searchCommand({ faq: faqFile, query: '能开发票吗', modelsDir: noModels });
    expect(out.exitCode).toBe(0);
    expect(out.mode).toBe('lexical');
    const lines = out.output.split('\n');
    expect(lines[0]).toBe('mode: lexical, 5 FAQs in Chinese');
    expect(lines[1]).toMatch(/^1\. 可以开发票吗？ {2}\(score \d+\.\d\d; row 2\)$/);
    expect(lines[2]).toBe('   支持电子普通发票和增值税专用发票。');
  });

  it('matches on alternates and answers, not only the question', async () => {
    const viaAlternate = await searchCommand({
      faq: faqFile,
      query: '人工客服',
      modelsDir: noModels,
      top: 1,
    });
    expect(viaAlternate.matches!.map((m) => m.question)).toEqual(['客服电话是多少？']);
    const viaAnswer = await searchCommand({ faq: faqFile, query: '满多少包邮', modelsDir: noModels, top: 1 });
    expect(viaAnswer.matches![0].question).toBe('运费怎么收？');
  });

  it('prints JSON with --json and honours --top', async () => {
    const out = await searchCommand({
      faq: faqFile,
      query: 'forgot my password',
      json: true,
      top: 2,
      modelsDir: noModels,
    });
    const body = JSON.parse(out.output);
    expect(body).toMatchObject({ query: 'forgot my password', mode: 'lexical', model: null, faqCount: 5 });
    expect(body.matches.length).toBeLessThanOrEqual(2);
    expect(body.matches[0]).toMatchObject({ rank: 1, id: 5, question: 'How do I reset my password?' });
    expect(body.decision.type).toMatch(/^(faq|clarify)$/);
    expect(body.thresholdsSource).toBe('calibrated on this file');
    expect(body.thresholds.clarify).toBeLessThanOrEqual(body.thresholds.faq);
  });

  it("searches an English file lexically when the only embedder is Chinese, and says the file's language", async () => {
    const chineseOnly = join(root, 'chinese-only');
    await writeTinyModel(join(chineseOnly, 'wendao', 'zh-embedder'), {
      head: 'embedder',
      pooling: 'mean',
      seed: 6,
      languages: ['zh'],
    });
    const english = join(root, 'faq-en.csv');
    writeFileSync(
      english,
      'question,answer\nHow long do refunds take?,Five working days.\nDo you ship to Canada?,Yes.\n' +
        'Can I change my order?,Within an hour of placing it.\n',
    );
    const en = await searchCommand({ faq: english, query: 'refund time', modelsDir: chineseOnly });
    expect(en.output.split('\n')[0]).toBe('mode: lexical, 3 FAQs in English');
    const zh = await searchCommand({ faq: faqFile, query: '能开发票吗', modelsDir: chineseOnly });
    expect(zh.mode).toBe('neural');
  });

  it('runs neural with an embedder model, given or found in the models directory', async () => {
    const given = await searchCommand({
      faq: faqFile,
      query: '能开发票吗',
      model: join(withEmbedder, 'wendao', 'tiny-embedder'),
      modelsDir: noModels,
      top: 5,
    });
    expect(given.exitCode).toBe(0);
    expect(given.mode).toBe('neural');
    expect(given.output.split('\n')[0]).toMatch(/^mode: neural \(.+\), 5 FAQs in Chinese$/);
    // Every FAQ is scored by the cosine of its closest phrasing, so all five come back.
    expect(given.matches).toHaveLength(5);
    expect(given.matches!.every((m) => m.score >= 0 && m.score <= 1)).toBe(true);

    const found = await searchCommand({ faq: faqFile, query: '能开发票吗', modelsDir: withEmbedder });
    expect(found.mode).toBe('neural');
    const forcedLexical = await searchCommand({
      faq: faqFile,
      query: '能开发票吗',
      modelsDir: withEmbedder,
      lexical: true,
    });
    expect(forcedLexical.mode).toBe('lexical');
  });

  it('fails clearly on a missing file, missing columns, an empty query or a bad --top', async () => {
    const missing = await searchCommand({ faq: join(root, 'nope.csv'), query: '发票', modelsDir: noModels });
    expect(missing.exitCode).toBe(1);
    expect(missing.output).toMatch(/cannot read --faq .*nope\.csv: ENOENT/);

    const badCsv = join(root, 'bad.csv');
    writeFileSync(badCsv, 'title,body\nx,y\n');
    const columns = await searchCommand({ faq: badCsv, query: '发票', modelsDir: noModels });
    expect(columns.exitCode).toBe(1);
    expect(columns.output).toMatch(/no FAQ header row.*found: title, body/);

    const empty = await searchCommand({ faq: faqFile, query: '  ', modelsDir: noModels });
    expect(empty.exitCode).toBe(2);
    expect(empty.output).toMatch(/--query is required and must not be empty/);

    expect((await searchCommand({ query: '发票', modelsDir: noModels })).output).toMatch(
      /--faq FILE is required/,
    );
    const top = await searchCommand({ faq: faqFile, query: '发票', top: 0, modelsDir: noModels });
    expect(top.exitCode).toBe(2);

    await expect(
      searchCommand({ faq: faqFile, query: '发票', model: join(root, 'no-such-model'), modelsDir: noModels }),
    ).rejects.toThrow(/no model/);
  });
});
