import { describe, expect, it } from 'vitest';
import { translate, type UiLanguage } from './i18n';
import { duplicateNoteText, jobWarningTexts } from './ingest-warning-text';

const say = (lang: UiLanguage, job: { warnings: string[]; warningCodes?: unknown }) =>
  jobWarningTexts((key, vars) => translate(lang, key, vars), job);

/** A CSV with a row without an answer and a question asked twice, as the API gives its job. */
const CSV_JOB = {
  warnings: ['Row 3: empty answer, skipped.', 'Row 4: question "退货期限是多久？" repeats Row 2, skipped.'],
  warningCodes: [
    { code: 'row_skipped', values: { row: 3, problem: 'empty_answer' } },
    { code: 'duplicate_question', values: { row: 4, question: '退货期限是多久？', firstRow: 2 } },
  ],
};

describe('ingest warning text', () => {
  it('words skipped rows and repeated questions in Chinese, with the row, the sheet or the table', () => {
    expect(say('zh', CSV_JOB)).toEqual([
      '第 3 行：答案为空，已跳过。',
      '第 4 行：问题“退货期限是多久？”与第 2 行重复，已跳过。',
    ]);
    expect(
      say('zh', {
        warnings: ['x', 'y', 'z'],
        warningCodes: [
          { code: 'row_skipped', values: { sheet: '售后', row: 3, problem: 'empty_question' } },
          { code: 'row_skipped', values: { table: true, row: 2, problem: 'empty_answer' } },
          { code: 'sheet_ignored', values: { sheet: '说明' } },
        ],
      }),
    ).toEqual([
      '工作表“售后”第 3 行：问题为空，已跳过。',
      '表格第 2 行：答案为空，已跳过。',
      '工作表“说明”没有问答表头行，已忽略。',
    ]);
  });

  it('words a row left out for an enabled value that is neither true nor false, in both languages', () => {
    const job = {
      warnings: ['Row 9: enabled is neither true nor false ("maybe"), skipped.'],
      warningCodes: [{ code: 'row_skipped', values: { row: 9, problem: 'invalid_enabled', value: 'maybe' } }],
    };
    expect(say('zh', job)).toEqual([
      '第 9 行：启用（enabled）列的“maybe”既不是 true 也不是 false（也可写 是/否、yes/no、1/0），此行已跳过。',
    ]);
    expect(say('en', job)).toEqual([
      'Row 9: enabled "maybe" is neither true nor false (yes/no, 1/0 and 是/否 also work), skipped.',
    ]);
  });

  it('words the encoding, JSON items, text kept as prose and a duplicate file in Chinese', () => {
    expect(
      say('zh', {
        warnings: ['a', 'b', 'c', 'd', 'e'],
        warningCodes: [
          { code: 'read_as_gbk', values: { file: 'faq.csv' } },
          { code: 'item_skipped', values: { item: 2, problem: 'missing_answer' } },
          { code: 'question_without_answer', values: { text: '这个问题没有答案？' } },
          { code: 'answer_without_question', values: { text: '答：这一行没有对应的问题。' } },
          { code: 'duplicate_document', values: { file: 'faq-copy.csv' } },
        ],
      }),
    ).toEqual([
      'faq.csv 不是 UTF-8 编码，已按 GBK/GB18030 中文读取。建议另存为 UTF-8 后再上传，以免乱码。',
      '第 2 项缺少 "answer" 或为空，已跳过。',
      '没有答案的问题已作为正文保留：“这个问题没有答案？”',
      '没有对应问题的答案已作为正文保留：“答：这一行没有对应的问题。”',
      'faq-copy.csv 与知识库中已有的文档完全相同，未添加任何内容。要恢复从该文档删除的问答，请在“问答管理”中手动添加，或先在“文档”中删除已有的文档（它其余的问答会一并删除）再重新上传。',
    ]);
  });

  it('speaks English in the English console', () => {
    expect(say('en', CSV_JOB)).toEqual(CSV_JOB.warnings);
    expect(
      say('en', {
        warnings: ['x', 'y'],
        warningCodes: [
          { code: 'duplicate_question', values: { sheet: '售后', row: 5, question: 'Q?', firstRow: 2 } },
          { code: 'docx_reader_error', values: { file: 'a.docx', detail: 'Could not find image file' } },
        ],
      }),
    ).toEqual([
      'Sheet "售后" row 5: question "Q?" repeats Sheet "售后" row 2, skipped.',
      'a.docx: part of it could not be read (Could not find image file).',
    ]);
  });

  it('says how to restore a deleted entry when a file identical to a document is uploaded again, in both languages', () => {
    const job = {
      warnings: ['faq.csv is identical to a document already in this knowledge base; nothing was added'],
      warningCodes: [{ code: 'duplicate_document', values: { file: 'faq.csv' } }],
    };
    expect(say('zh', job)[0]).toMatch(
      /要恢复从该文档删除的问答，请在“问答管理”中手动添加，或先在“文档”中删除已有的文档/,
    );
    expect(say('en', job)[0]).toMatch(
      /To restore an entry deleted from it, add the entry by hand in FAQs, or delete the existing document in Documents first/,
    );
  });

  it('says a question the KB already has was skipped, and where to change its answer, in both languages', () => {
    const job = {
      warnings: [
        'Question "What payment methods do you accept?" is already in the knowledge base, skipped: edit that entry in the FAQ list.',
      ],
      warningCodes: [{ code: 'question_in_kb', values: { question: 'What payment methods do you accept?' } }],
    };
    expect(say('zh', job)).toEqual([
      '问题“What payment methods do you accept?”知识库里已有，已跳过；要改答案，请在问答管理中编辑那一条。',
    ]);
    expect(say('en', job)).toEqual([
      'Question "What payment methods do you accept?" is already in the knowledge base, skipped: to change its answer, edit that entry in the FAQ list.',
    ]);
  });

  it("falls back to the API's English for an old job, an unknown code, unreadable values or codes that do not line up", () => {
    // Stored before codes were: English only.
    expect(say('zh', { warnings: CSV_JOB.warnings })).toEqual(CSV_JOB.warnings);
    expect(
      say('zh', {
        warnings: [
          'new.csv: something new',
          'Row 3: empty answer, skipped.',
          'Row 9: empty answer, skipped.',
        ],
        warningCodes: [
          { code: 'a_code_from_a_newer_server', values: { file: 'new.csv' } },
          { code: 'row_skipped', values: { row: 'three', problem: 'empty_answer' } },
          { code: 'row_skipped', values: { row: 9, problem: 'too_short' } },
        ],
      }),
    ).toEqual(['new.csv: something new', 'Row 3: empty answer, skipped.', 'Row 9: empty answer, skipped.']);
    // One code for two warnings: none can be trusted to belong to its sentence.
    expect(say('zh', { warnings: CSV_JOB.warnings, warningCodes: CSV_JOB.warningCodes.slice(1) })).toEqual(
      CSV_JOB.warnings,
    );
    expect(say('zh', { warnings: [], warningCodes: [] })).toEqual([]);
  });

  it('names the document that already holds a skipped question or the same file, in both languages', () => {
    const inKb = {
      warnings: [
        'Question "运费怎么算？" is already in document faq.csv, skipped: edit that entry in the FAQ list.',
      ],
      warningCodes: [{ code: 'question_in_kb', values: { question: '运费怎么算？', document: 'faq.csv' } }],
    };
    expect(say('zh', inKb)).toEqual([
      '问题“运费怎么算？”已存在于文档 faq.csv，已跳过；要改答案，请在问答管理中编辑那一条。',
    ]);
    expect(say('en', inKb)).toEqual([
      'Question "运费怎么算？" is already in document faq.csv, skipped: to change its answer, edit that entry in the FAQ list.',
    ]);
    const again = {
      warnings: ['faq (1).csv is identical to document faq.csv already in this knowledge base; …'],
      warningCodes: [{ code: 'duplicate_document', values: { file: 'faq (1).csv', document: 'faq.csv' } }],
    };
    expect(say('zh', again)[0]).toMatch(
      /^faq \(1\)\.csv 与知识库中已有的文档 faq\.csv 完全相同，未添加任何内容。.*先在“文档”中删除 faq\.csv（/,
    );
    expect(say('en', again)[0]).toMatch(
      /^faq \(1\)\.csv is identical to document faq\.csv, already in this knowledge base; .*delete faq\.csv in Documents first/,
    );
    const t =
      (lang: UiLanguage) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
        translate(lang, key, vars);
    expect(duplicateNoteText(t('zh'), again)).toMatch(/^该文件内容已存在于文档 faq\.csv，未重复导入。/);
    expect(duplicateNoteText(t('en'), again)).toMatch(/^This content is already in document faq\.csv; /);
    // A job stored before the API named the document: the note without a name, as before.
    const old = { warningCodes: [{ code: 'duplicate_document', values: { file: 'faq.csv' } }] };
    expect(duplicateNoteText(t('zh'), old)).toMatch(/^该文件内容已在知识库中，未重复导入。/);
  });
});
