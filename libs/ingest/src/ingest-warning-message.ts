/**
 * The English wording of an ingest warning (what the API stores in a job's `warnings`). Built from
 * the warning itself so the two can never disagree; the admin console words the code in zh and en.
 */
import { jsonItemWarning } from './ingest-failure-message';
import type { IngestWarning, SkippedRowProblem, TableRowPlace } from './ingest-warning';

const SKIPPED_ROW: Record<SkippedRowProblem, string> = {
  empty_question: 'empty question',
  empty_answer: 'empty answer',
  invalid_enabled: 'enabled is neither true nor false',
};

/** "Row 3", 'Sheet "售后" row 3', "Table row 2". */
function rowLabel(place: TableRowPlace, row = place.row): string {
  if (place.sheet !== undefined) return `Sheet "${place.sheet}" row ${row}`;
  return place.table ? `Table row ${row}` : `Row ${row}`;
}

export function ingestWarningMessage(warning: IngestWarning): string {
  switch (warning.code) {
    case 'read_as_gbk':
      return `${warning.values.file} is not UTF-8; it was read as GBK/GB18030 Chinese text. Save it as UTF-8 to be sure.`;
    case 'row_skipped': {
      const { problem, value } = warning.values;
      const said = value === undefined ? '' : ` ("${value}")`;
      return `${rowLabel(warning.values)}: ${SKIPPED_ROW[problem]}${said}, skipped.`;
    }
    case 'duplicate_question': {
      const { question, firstRow } = warning.values;
      return `${rowLabel(warning.values)}: question "${question}" repeats ${rowLabel(warning.values, firstRow)}, skipped.`;
    }
    case 'sheet_ignored':
      return `Sheet "${warning.values.sheet}" has no FAQ header row and was ignored.`;
    case 'item_skipped':
      return jsonItemWarning(warning.values.item, warning.values.problem);
    case 'docx_reader_error':
      return `${warning.values.file}: ${warning.values.detail}`;
    case 'no_text':
      return `${warning.values.file} contains no text.`;
    case 'answer_without_question':
      return `Answer without a question kept as text: "${warning.values.text}"`;
    case 'question_without_answer':
      return `Question without an answer kept as text: "${warning.values.text}"`;
    case 'question_in_kb': {
      const { question, document } = warning.values;
      const where = document === undefined ? 'in the knowledge base' : `in document ${document}`;
      return `Question "${question}" is already ${where}, skipped: edit that entry in the FAQ list.`;
    }
  }
}
