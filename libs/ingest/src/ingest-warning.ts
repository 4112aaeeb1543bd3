/**
 * What the uploader should know about a file that was read (a skipped row, a guessed encoding, a
 * question without an answer), as data: a stable code and the values it names, so a client can say
 * it in its own language. Its English wording is built from it (`ingestWarningMessage`).
 */
import type { JsonItemProblem } from './ingest-failure';

/**
 * Where a row of an FAQ table is: `row` as a spreadsheet shows it (a CSV's row, with `sheet` a
 * worksheet's), or with `table` a row of a table inside a document, counted from its header row.
 */
export interface TableRowPlace {
  row: number;
  sheet?: string;
  table?: true;
}

/**
 * Why a non-empty row of an FAQ table is not an FAQ entry: no question, no answer, or an enabled
 * column whose cell is neither true nor false (nor yes/no, 1/0, 是/否 …).
 */
export type SkippedRowProblem = 'empty_question' | 'empty_answer' | 'invalid_enabled';

export type IngestWarning =
  /** Text that is not UTF-8 but reads as Chinese in GBK/GB18030 (Excel on Chinese Windows). */
  | { code: 'read_as_gbk'; values: { file: string } }
  /** A row of an FAQ table left out: no question, no answer, or an unreadable enabled `value`. */
  | { code: 'row_skipped'; values: TableRowPlace & { problem: SkippedRowProblem; value?: string } }
  /** A row whose question an earlier row (`firstRow`, same sheet or table) already has; both are kept. */
  | { code: 'duplicate_question'; values: TableRowPlace & { question: string; firstRow: number } }
  /** A worksheet without an FAQ header row, ignored (the workbook's other sheets were read). */
  | { code: 'sheet_ignored'; values: { sheet: string } }
  /** An item of a JSON FAQ list that is not an FAQ entry (`item` is 1-based), left out. */
  | { code: 'item_skipped'; values: { item: number; problem: JsonItemProblem } }
  /** The Word reader lost part of a .docx; `detail` is its own (English) message. */
  | { code: 'docx_reader_error'; values: { file: string; detail: string } }
  /** A .docx with no text at all. */
  | { code: 'no_text'; values: { file: string } }
  /** An "A:" line with no question before it, kept as prose; `text` is its first 60 characters. */
  | { code: 'answer_without_question'; values: { text: string } }
  /** A question with no answer after it, kept as prose; `text` is its first 60 characters. */
  | { code: 'question_without_answer'; values: { text: string } }
  /**
   * An entry whose question an enabled FAQ entry of the KB already asks, skipped: matching keeps the
   * older entry of one question, so this one would never answer (`question` as the file has it;
   * `document`: the file the KB's entry came from, absent for an entry added by hand).
   */
  | { code: 'question_in_kb'; values: { question: string; document?: string } };

export type IngestWarningCode = IngestWarning['code'];
