/**
 * Recognises the question/answer/alternates/tags/enabled columns of a tabular FAQ (CSV, Excel, a
 * table in HTML or Word) from its header row, in English and Chinese, and turns data rows into ParsedFaq.
 */
import { normalizeQuestion } from '@wendao/text';
import type { IngestWarning, SkippedRowProblem, TableRowPlace } from './ingest-warning';
import type { ParsedFaq } from './parse-result';

export interface FaqColumns {
  question: number;
  answer: number;
  alternates: number[];
  tags: number[];
  /** The column saying whether an entry answers (the FAQ export's `enabled`); absent: every row does. */
  enabled?: number;
}

// Earlier names win when a header has several candidates (a "question" column beats a "title" one).
const QUESTION_NAMES = [
  'question',
  'questions',
  'q',
  '问题',
  '标准问',
  '标准问题',
  '问',
  'faq',
  'title',
  '标题',
];
const ANSWER_NAMES = [
  'answer',
  'answers',
  'a',
  '答案',
  '回答',
  '答复',
  '标准答案',
  '答',
  'content',
  'reply',
  '内容',
];
const ALTERNATE_NAMES = [
  'alternates',
  'alternate',
  'alternatequestions',
  'similar',
  'similarquestions',
  'paraphrases',
  'variants',
  '相似问',
  '相似问题',
  '扩展问',
  '扩展问题',
  '相似问法',
  '同义问',
];
const TAG_NAMES = [
  'tags',
  'tag',
  'labels',
  'label',
  '标签',
  'category',
  'categories',
  '分类',
  '类别',
  '类目',
];

const ENABLED_NAMES = ['enabled', 'enable', 'active', '启用', '是否启用', '已启用'];

export const EXPECTED_HEADERS =
  'a question column (question, q, 问题, 标准问, title) and an answer column (answer, a, 答案, 回答, content); ' +
  'optional: alternates/similar/相似问/扩展问, tags/category/标签/分类 and enabled/启用';

/**
 * What an enabled cell may say: the export writes true/false; Excel turns a typed FALSE into a
 * boolean (read back as "false"); an admin editing by hand writes yes/no, 1/0 or 是/否. An empty
 * cell is enabled, as a file without the column is.
 */
const ENABLED_VALUES = new Map<string, boolean>([
  ...['true', 'yes', 'y', '1', 'on', 'enabled', '是', '启用', '已启用', '开启', '开'].map(
    (v) => [v, true] as const,
  ),
  ...['false', 'no', 'n', '0', 'off', 'disabled', '否', '禁用', '已禁用', '停用', '已停用', '关闭', '关'].map(
    (v) => [v, false] as const,
  ),
]);

/**
 * true/false for a cell of the enabled column (or a JSON FAQ item's `enabled`, as text), undefined
 * for one that says neither.
 */
export function readEnabled(cell: string): boolean | undefined {
  if (cell === '') return true;
  return ENABLED_VALUES.get(cell.normalize('NFKC').toLowerCase().replace(/\s/gu, ''));
}

/** "Similar Questions", "相似问题（用|分隔）", " Q " all reduce to the bare name. */
function normaliseHeader(cell: string): string {
  return cell
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[(（[【].*$/u, '')
    .replace(/[\s_\-:：*#]/gu, '');
}

function pick(headers: string[], names: string[], taken: Set<number>): number[] {
  const found: Array<{ col: number; rank: number }> = [];
  headers.forEach((h, col) => {
    const rank = names.indexOf(h);
    if (rank >= 0 && !taken.has(col)) found.push({ col, rank });
  });
  return found.sort((a, b) => a.rank - b.rank || a.col - b.col).map((f) => f.col);
}

/** The FAQ columns of a header row, or null when it has no question or no answer column. */
function findFaqColumns(headerRow: string[]): FaqColumns | null {
  const headers = headerRow.map((c) => normaliseHeader(c ?? ''));
  const taken = new Set<number>();
  const question = pick(headers, QUESTION_NAMES, taken)[0];
  if (question === undefined) return null;
  taken.add(question);
  const answer = pick(headers, ANSWER_NAMES, taken)[0];
  if (answer === undefined) return null;
  taken.add(answer);
  const alternates = pick(headers, ALTERNATE_NAMES, taken);
  alternates.forEach((c) => taken.add(c));
  const tags = pick(headers, TAG_NAMES, taken);
  tags.forEach((c) => taken.add(c));
  const enabled = pick(headers, ENABLED_NAMES, taken)[0];
  return { question, answer, alternates, tags, ...(enabled === undefined ? {} : { enabled }) };
}

const ALTERNATE_SEPARATORS = /[|｜;；\r\n]+/u;
const TAG_SEPARATORS = /[|｜;；,，、\r\n]+/u;

function splitList(values: string[], separators: RegExp, exclude = ''): string[] {
  const out: string[] = [];
  for (const value of values) {
    for (const part of value.split(separators)) {
      const item = part.trim();
      if (item && item !== exclude && !out.includes(item)) out.push(item);
    }
  }
  return out;
}

export type FaqRowResult =
  { faq: ParsedFaq } | { skipped: SkippedRowProblem; value?: string } | { empty: true };

/** One data row as an FAQ; `skipped` explains why a non-empty row cannot be one. */
function rowToFaq(row: string[], columns: FaqColumns): FaqRowResult {
  const cell = (i: number) => (row[i] ?? '').trim();
  if (row.every((c) => (c ?? '').trim() === '')) return { empty: true };
  const question = cell(columns.question).replace(/\s*\r?\n\s*/g, ' ');
  const answer = cell(columns.answer).replace(/\r\n/g, '\n');
  if (!question) return { skipped: 'empty_question' };
  if (!answer) return { skipped: 'empty_answer' };
  // A value that is neither true nor false leaves the row out rather than guess: enabled would put
  // an answer the admin may have switched off live; disabled would hide one silently.
  const enabledCell = columns.enabled === undefined ? '' : cell(columns.enabled);
  const enabled = readEnabled(enabledCell);
  if (enabled === undefined) return { skipped: 'invalid_enabled', value: enabledCell };
  return {
    faq: {
      question,
      answer,
      alternates: splitList(columns.alternates.map(cell), ALTERNATE_SEPARATORS, question),
      tags: splitList(columns.tags.map(cell), TAG_SEPARATORS),
      ...(enabled ? {} : { enabled: false }),
    },
  };
}

/**
 * Reads a whole table: the header is the first of the first five rows with FAQ columns (sheets often
 * start with a title row). Returns null when no such header exists. `place` says where row `index`
 * is, for the warnings.
 */
export function tableToFaqs(
  rows: string[][],
  place: (index: number) => TableRowPlace,
): { faqs: ParsedFaq[]; warnings: IngestWarning[] } | null {
  const headerIndex = rows.slice(0, 5).findIndex((r) => findFaqColumns(r) !== null);
  if (headerIndex < 0) return null;
  const columns = findFaqColumns(rows[headerIndex])!;
  const faqs: ParsedFaq[] = [];
  const warnings: IngestWarning[] = [];
  const seen = new Map<string, number>();
  for (let i = headerIndex + 1; i < rows.length; i++) {
    const result = rowToFaq(rows[i], columns);
    if ('empty' in result) continue;
    if ('skipped' in result) {
      const value = result.value === undefined ? {} : { value: result.value };
      warnings.push({ code: 'row_skipped', values: { ...place(i), problem: result.skipped, ...value } });
      continue;
    }
    // A question asked again (in any case, with or without its question mark) is skipped, the first
    // row kept: two entries with one question would each answer it at random.
    const key = normalizeQuestion(result.faq.question);
    const first = seen.get(key);
    if (first !== undefined) {
      warnings.push({
        code: 'duplicate_question',
        values: { ...place(i), question: result.faq.question, firstRow: place(first).row },
      });
      continue;
    }
    seen.set(key, i);
    faqs.push(result.faq);
  }
  return { faqs, warnings };
}
