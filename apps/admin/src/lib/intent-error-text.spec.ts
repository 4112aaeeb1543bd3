import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { translate, type UiLanguage } from './i18n';
import { exampleRemoveErrorText, intentErrorText } from './intent-error-text';

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
      'CSV 的表头须包含“意图”和“例句”两列（或 intent 和 example）。',
    );
    expect(
      say('zh', new ApiError(400, 'too many', 'intent_csv_too_many_rows', { rows: 20001, max: 20000 })),
    ).toBe('CSV 文件有 20001 行，每次最多导入 20000 行。');
  });

  it("says a CSV it cannot read, a file not in UTF-8 and one too large in the console language, not in the parser's English", () => {
    const openQuote = new ApiError(
      400,
      'the CSV file cannot be parsed: a quote is never closed (still open at line 2, the end of the file)',
      'intent_csv_unparsable',
      {
        reason: 'Quote Not Closed: the parsing is finished with an opening quote at line 2',
        line: 2,
        problem: 'quote_not_closed',
      },
    );
    expect(say('zh', openQuote)).toBe(
      'CSV 文件无法解析：有引号没有闭合，直到第 2 行（文件末尾）也没有配对的引号。',
    );
    expect(say('en', openQuote)).toBe(
      'The CSV file cannot be read: a quote is never closed (still open at line 2, the end of the file).',
    );
    const stray = new ApiError(400, 'x', 'intent_csv_unparsable', {
      reason: 'Invalid Opening Quote: a quote is found on field 1 at line 3, value is "我要"',
      line: 3,
      problem: 'invalid_opening_quote',
    });
    expect(say('zh', stray)).toBe(
      'CSV 文件无法解析：第 3 行有个值不以引号开头，中间却有引号（请给整个值加上引号，值里的引号写成两个：""）。',
    );
    // A reason it has no words for is kept, as the detail of a sentence in the console's language.
    expect(say('zh', new ApiError(400, 'x', 'intent_csv_unparsable', { reason: 'Something new' }))).toBe(
      'CSV 文件无法解析（Something new）。',
    );
    const latin1 = new ApiError(
      400,
      'fr.csv is not valid UTF-8 text (invalid byte at offset 25). Save the file with UTF-8 encoding and upload it again.',
      'invalid_utf8',
      { file: 'fr.csv', offset: 25 },
    );
    expect(say('zh', latin1)).toBe(
      'fr.csv 不是有效的 UTF-8 文本（偏移 25 处的字节无效）。请用 UTF-8 编码另存后重新上传。',
    );
    const tooLarge = new ApiError(413, 'File too large', 'file_too_large', { limitBytes: 5 * 1024 * 1024 });
    expect(say('zh', tooLarge)).toBe('文件太大：上限为 5 MiB。');
    expect(say('en', tooLarge)).toBe('The file is too large: the limit is 5 MiB.');
  });

  it('says an intent or example deleted meanwhile, a gone KB, a role that may not, in the console language', () => {
    const gone = new ApiError(404, 'intent 1 not found');
    expect(say('zh', gone)).toBe('这个意图已不存在，可能已被其他管理员删除。');
    expect(say('en', gone)).toBe('This intent no longer exists: another admin may have deleted it.');
    const exampleGone = new ApiError(404, 'example 7 not found');
    expect(say('zh', exampleGone)).toBe('这条例句已不存在，可能已被其他管理员删除。');
    expect(say('en', exampleGone)).toBe('This example no longer exists: another admin may have deleted it.');
    const kbGone = new ApiError(404, 'knowledge base k1 not found');
    expect(say('zh', kbGone)).toBe(
      '它所在的知识库已不存在（可能已被其他管理员删除），或你已无权访问。请回到知识库列表。',
    );
    const viewer = new ApiError(
      403,
      "this needs the editor role (or above) in the knowledge base's organisation; you have viewer",
    );
    expect(say('zh', viewer)).toBe(
      '这需要编辑者或更高的角色，你的角色是查看者。如确需此操作，请联系组织的所有者。',
    );
    expect(say('en', viewer)).toBe(
      'This needs the editor role or above; yours is viewer. If you need to do this, ask an owner of the organisation.',
    );
    expect(say('zh', new TypeError('Failed to fetch'))).toBe(
      '无法连接到服务器。请检查网络连接，或确认问道服务仍在运行，然后重试。',
    );
    expect(say('en', new ApiError(502, 'Bad Gateway'))).toBe(
      'The server failed (502). Try again later; if it keeps failing, ask whoever runs Wendao to check the server log.',
    );
  });

  it("keeps the API's message, as a detail, for a code it does not know or values it cannot read", () => {
    expect(say('zh', new ApiError(400, 'something new', 'intent_csv_new', {}))).toBe(
      '服务器拒绝了请求（400）：something new',
    );
    expect(
      say(
        'en',
        new ApiError(400, 'odd rows', 'intent_csv_rows', { count: 1, problems: [{ row: 2, problem: 'x' }] }),
      ),
    ).toBe('The server refused the request (400): odd rows');
  });

  it("closes the editor when an example's intent was deleted meanwhile, not when only the example was", () => {
    const t =
      (lang: UiLanguage) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
        translate(lang, key, vars);
    const intentGone = new ApiError(404, 'intent i1 not found');
    expect(exampleRemoveErrorText(intentGone, t('zh'))).toEqual({
      text: '这个意图已不存在，可能已被其他管理员删除；列表已刷新。',
      intentGone: true,
    });
    expect(exampleRemoveErrorText(intentGone, t('en')).intentGone).toBe(true);
    expect(exampleRemoveErrorText(new ApiError(404, 'example e1 not found'), t('zh'))).toEqual({
      text: '这条例句已不存在，可能已被其他管理员删除。',
      intentGone: false,
    });
    expect(exampleRemoveErrorText(new ApiError(404, 'knowledge base k1 not found'), t('zh')).intentGone).toBe(
      false,
    );
  });
});
