/**
 * What a job warns about (skipped rows, a guessed encoding, a duplicate …), in the console's language.
 * A job gives each warning in English and, in `warningCodes`, as {code, values} in the same order
 * (docs/api.md, "What a job warns about: codes"); each code this console knows has a sentence in
 * messages.ts. A job stored before codes were, a code it does not know or values it cannot read show
 * the API's English.
 */
import { named, num, str, worded, type Translate, type Values, type Wording } from './ingest-error-text';
import type { MessageKey } from './messages';

/** "第 3 行", 'Sheet "售后" row 3', "表格第 2 行": where a row of an FAQ table is. */
function rowPlace(t: Translate, v: Values, row: unknown): string | undefined {
  const n = num(row);
  if (n === undefined) return undefined;
  if (v.sheet !== undefined) {
    const sheet = str(v.sheet);
    return sheet === undefined ? undefined : t('rowPlace.sheet', { sheet, row: n });
  }
  return t(v.table === true ? 'rowPlace.table' : 'rowPlace.row', { row: n });
}

function wording(t: Translate, code: string, v: Values): Wording | undefined {
  const key = (k: string) => `ingestWarning.${k}` as MessageKey;
  const file = str(v.file);
  switch (code) {
    case 'read_as_gbk':
    case 'no_text':
      return { key: key(code), vars: { file } };
    case 'duplicate_document':
      // The existing document, named when the API says which (a job stored before it did not).
      if (typeof v.document === 'string')
        return { key: key('duplicate_document_of'), vars: { file, document: v.document } };
      return { key: key(code), vars: { file } };
    case 'row_skipped':
      if (v.problem === 'invalid_enabled')
        return {
          key: key('row_skipped_enabled'),
          vars: { place: rowPlace(t, v, v.row), value: str(v.value) },
        };
      return {
        key: key(code),
        vars: { place: rowPlace(t, v, v.row), problem: named(t, 'skippedRow', v.problem) },
      };
    case 'duplicate_question':
      return {
        key: key(code),
        vars: { place: rowPlace(t, v, v.row), question: str(v.question), first: rowPlace(t, v, v.firstRow) },
      };
    case 'sheet_ignored':
      return { key: key(code), vars: { sheet: str(v.sheet) } };
    case 'item_skipped':
      return { key: key(code), vars: { item: num(v.item), problem: named(t, 'jsonItemProblem', v.problem) } };
    case 'docx_reader_error':
      return { key: key(code), vars: { file, detail: str(v.detail) } };
    case 'answer_without_question':
    case 'question_without_answer':
      return { key: key(code), vars: { text: str(v.text) } };
    case 'question_in_kb':
      if (typeof v.document === 'string')
        return {
          key: key('question_in_kb_document'),
          vars: { question: str(v.question), document: v.document },
        };
      return { key: key(code), vars: { question: str(v.question) } };
    default:
      return undefined;
  }
}

/** A warning as the API gives it: the English message, and its code and values where it has them. */
export interface IngestWarningView {
  message: string;
  code?: string | null;
  values?: unknown;
}

export function ingestWarningText(t: Translate, warning: IngestWarningView): string {
  return worded(t, warning, wording);
}

/**
 * A job's warnings in the console's language, in order. `warningCodes` is used only when it lines up
 * with `warnings` one for one; otherwise (an old job, a malformed list) each shows its English.
 */
export function jobWarningTexts(
  t: Translate,
  job: { warnings?: string[]; warningCodes?: unknown },
): string[] {
  const warnings = job.warnings ?? [];
  const codes =
    Array.isArray(job.warningCodes) && job.warningCodes.length === warnings.length ? job.warningCodes : [];
  return warnings.map((message, i) => {
    const c: unknown = codes[i];
    if (!c || typeof c !== 'object') return message;
    const { code, values } = c as { code?: unknown; values?: unknown };
    return ingestWarningText(t, { message, code: typeof code === 'string' ? code : undefined, values });
  });
}

/**
 * The note on a file uploaded again (a duplicate job): which document of the KB already holds the
 * same content, when the job says (its duplicate_document warning), and how to restore an entry.
 */
export function duplicateNoteText(t: Translate, job: { warningCodes?: unknown }): string {
  const codes = Array.isArray(job.warningCodes) ? (job.warningCodes as unknown[]) : [];
  const duplicate = codes.find(
    (c): c is { values: Values } =>
      !!c && typeof c === 'object' && (c as { code?: unknown }).code === 'duplicate_document',
  );
  const document =
    duplicate?.values && typeof duplicate.values === 'object' ? duplicate.values.document : undefined;
  return typeof document === 'string' ? t('job.duplicateNoteOf', { document }) : t('job.duplicateNote');
}
