import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { translate, type UiLanguage } from './i18n';
import { intentErrorText } from './intent-error-text';

const say = (lang: UiLanguage, err: Error) => intentErrorText(err, (key, vars) => translate(lang, key, vars));

describe('intent error text', () => {
  it('says a taken intent name in the console language', () => {
    const taken = new ApiError(
      409,
      'the knowledge base already has an intent named "退货"',
      'intent_name_taken',
      {
        name: '退货',
      },
    );
    expect(say('zh', taken)).toBe('本知识库已有名为“退货”的意图。');
    expect(say('en', taken)).toBe('This knowledge base already has an intent named “退货”.');
    expect(say('zh', new ApiError(409, 'taken', 'intent_name_taken', {}))).toBe('本知识库已有同名意图。');
  });

  it("words a refused CSV's bad rows, each with its row number", () => {
    const refused = new ApiError(400, 'the CSV file has 2 problem(s), …', 'intent_csv_rows', {
      count: 2,
      problems: [
        { row: 3, problem: 'empty_example' },
        { row: 4, problem: 'empty_intent' },
      ],
    });
    expect(say('zh', refused)).toBe(
      'CSV 文件有 2 处问题，未导入任何内容：第 3 行：例句为空；第 4 行：意图为空',
    );
    expect(say('en', refused)).toBe(
      'The CSV file has 2 problem(s); nothing was imported: row 3: empty example; row 4: empty intent',
    );
    expect(say('zh', new ApiError(400, 'header', 'intent_csv_header', {}))).toBe(
      'CSV 的表头须包含 intent 和 example 两列。',
    );
    expect(
      say('zh', new ApiError(400, 'too many', 'intent_csv_too_many_rows', { rows: 20001, max: 20000 })),
    ).toBe('CSV 文件有 20001 行，每次最多导入 20000 行。');
  });

  it("keeps the API's message for a code it does not know or values it cannot read", () => {
    expect(say('zh', new ApiError(400, 'something new', 'intent_csv_new', {}))).toBe('something new');
    expect(
      say(
        'zh',
        new ApiError(400, 'odd rows', 'intent_csv_rows', { count: 1, problems: [{ row: 2, problem: 'x' }] }),
      ),
    ).toBe('odd rows');
    expect(say('zh', new ApiError(404, 'intent 1 not found'))).toBe('intent 1 not found');
    expect(say('zh', new Error('Failed to fetch'))).toBe('Failed to fetch');
  });
});
