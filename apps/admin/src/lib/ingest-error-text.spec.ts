import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { translate, type UiLanguage } from './i18n';
import {
  formatSize,
  ingestErrorText,
  jobErrorText,
  refusalOf,
  type IngestFailureView,
} from './ingest-error-text';

const say = (lang: UiLanguage, failure: IngestFailureView) =>
  ingestErrorText((key, vars) => translate(lang, key, vars), failure);

const SUPPORTED = ['CSV', 'XLSX', 'JSON', 'Markdown', 'HTML', 'TXT', 'DOCX', 'PDF'];

describe('ingest error text', () => {
  it('words an empty file and an unsupported type in Chinese, with the supported types listed', () => {
    expect(
      say('zh', { message: 'empty.csv is empty', code: 'empty_file', values: { file: 'empty.csv' } }),
    ).toBe('empty.csv 是空文件。');
    expect(
      say('zh', {
        message: 'faq.exe: ".exe" files are not supported; …',
        code: 'unsupported_type',
        values: { file: 'faq.exe', extension: '.exe', supported: SUPPORTED },
      }),
    ).toBe('faq.exe：不支持 .exe 文件，请上传 CSV、XLSX、JSON、Markdown、HTML、TXT、DOCX 或 PDF 文件。');
    expect(
      say('zh', {
        message: 'upload: files without an extension …',
        code: 'unsupported_type',
        values: { file: 'upload', extension: '', mimeType: 'application/x-foo', supported: ['CSV', 'PDF'] },
      }),
    ).toBe('upload：文件没有扩展名（application/x-foo），无法判断类型，请上传 CSV 或 PDF 文件。');
  });

  it('names the type a file claims and what it is, a CSV line and a missing header in Chinese', () => {
    expect(
      say('zh', {
        message: 'x',
        code: 'type_mismatch',
        values: { file: 'notreally.pdf', named: 'pdf', found: null },
      }),
    ).toBe('notreally.pdf 的扩展名表明是 PDF 文件，但内容不符（不是 PDF 文件）。');
    expect(
      say('zh', {
        message: 'x',
        code: 'type_mismatch',
        values: { file: 'faq.txt', named: 'txt', found: 'binary' },
      }),
    ).toBe('faq.txt 的扩展名表明是纯文本文件，但内容是二进制数据。');
    expect(
      say('zh', {
        message: 'x',
        code: 'unreadable_file',
        values: {
          file: 'broken.csv',
          format: 'csv',
          detail: 'Quote Not Closed …',
          line: 3,
          problem: 'quote_not_closed',
        },
      }),
    ).toBe('无法读取 broken.csv：有引号没有闭合，直到第 3 行（文件末尾）也没有配对的引号。');
    expect(
      say('zh', {
        message: 'x',
        code: 'no_faq_header',
        values: { file: 'noheader.csv', found: ['a', 'b', 'c'] },
      }),
    ).toMatch(/^noheader\.csv 没有问答表头行。需要问题列（question、q、问题.*第一行是：a、b、c。$/);
  });

  it('speaks English in the English console', () => {
    expect(
      say('en', { message: 'empty.csv is empty', code: 'empty_file', values: { file: 'empty.csv' } }),
    ).toBe('empty.csv is empty.');
    expect(
      say('en', {
        message: 'x',
        code: 'unsupported_type',
        values: { file: 'faq.exe', extension: '.exe', supported: SUPPORTED },
      }),
    ).toBe(
      'faq.exe: .exe files are not supported; upload CSV, XLSX, JSON, Markdown, HTML, TXT, DOCX or PDF.',
    );
    expect(
      say('en', {
        message: 'x',
        code: 'wrong_office_file',
        values: { file: 'sheet.docx', expected: 'docx', found: 'xlsx', missingPart: 'word/document.xml' },
      }),
    ).toBe('sheet.docx is not a Word (.docx) document: it is an Excel (.xlsx) workbook.');
    expect(
      say('en', {
        message: 'File too large',
        code: 'file_too_large',
        values: { limitBytes: 20 * 1024 * 1024 },
      }),
    ).toBe('The file is too large: the limit is 20 MiB.');
    expect(formatSize(256 * 1024)).toBe('256 KiB');
  });

  it('says that every question of an import is already in the KB, and what to do instead', () => {
    const failure = {
      message: 'faq.csv: every question in it (6) is already in the knowledge base; nothing was added. …',
      code: 'faqs_already_in_kb',
      values: { file: 'faq.csv', count: 6 },
    };
    expect(say('zh', failure)).toBe(
      'faq.csv 中的 6 个问题知识库里都已有，未添加任何内容。要改答案，请在问答管理中编辑那些问答；要换成文件里的版本，请先删除它们再导入。',
    );
    expect(say('en', failure)).toBe(
      "faq.csv: every question in it (6) is already in the knowledge base; nothing was added. To change their answers, edit those entries in the FAQ list; to take the file's version, delete them first and import it again.",
    );
    // With the documents the KB's entries came from, named.
    const named = { ...failure, values: { file: 'faq.csv', count: 6, documents: ['faq.csv', '售后.xlsx'] } };
    expect(say('zh', named)).toBe(
      'faq.csv 中的 6 个问题知识库里都已有（已存在于文档 faq.csv、售后.xlsx），未添加任何内容。要改答案，请在问答管理中编辑那些问答；要换成文件里的版本，请先删除它们再导入。',
    );
    expect(say('en', named)).toMatch(
      /^faq\.csv: every question in it \(6\) is already in the knowledge base \(from faq\.csv, 售后\.xlsx\); nothing was added\./,
    );
  });

  it("falls back to the API's English for an unknown code, values it cannot read, or no code at all", () => {
    const message = 'weird.csv: something new went wrong';
    expect(say('zh', { message, code: 'a_code_from_a_newer_server', values: { file: 'weird.csv' } })).toBe(
      message,
    );
    expect(say('zh', { message, code: 'empty_file', values: { name: 'weird.csv' } })).toBe(message);
    expect(
      say('zh', {
        message,
        code: 'type_mismatch',
        values: { file: 'a.pdf', named: 'pdf', found: 'hologram' },
      }),
    ).toBe(message);
    expect(say('zh', { message, code: 'empty_file', values: null })).toBe(message);
    // A job that failed before codes were stored keeps its English reason; a job that did not fail has none.
    const t = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
      translate('zh', key, vars);
    expect(jobErrorText(t, { error: 'old.csv is empty.' })).toBe('old.csv is empty.');
    expect(jobErrorText(t, { error: 'x', errorCode: 'no_content', errorValues: { file: 'a.md' } })).toBe(
      'a.md 中没有找到问答，也没有文字。',
    );
    expect(jobErrorText(t, {})).toBeUndefined();
  });

  it("reads a refusal's code and values from the API error, and only the message from any other error", () => {
    const refused = new ApiError(400, 'empty.csv is empty', 'empty_file', { file: 'empty.csv' });
    expect(refusalOf(refused)).toEqual({
      message: 'empty.csv is empty',
      code: 'empty_file',
      values: { file: 'empty.csv' },
    });
    expect(say('zh', refusalOf(refused))).toBe('empty.csv 是空文件。');
    expect(refusalOf(new Error('Failed to fetch'))).toEqual({ message: 'Failed to fetch' });
  });
});
