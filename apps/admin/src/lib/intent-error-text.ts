/**
 * Why the API refused an intent change or an intent CSV, in the console's language: the refusal's
 * {code, values} (docs/api.md, "Intents") worded from messages.ts. Another failure (a 404 of an intent
 * or example deleted meanwhile, a role that may not, the server unreachable), or a code this console
 * does not know, is said as failureReason says it: the API's English only as a refusal's detail.
 */
import { ApiError } from './api';
import type { I18n } from './i18n-context';
import { ingestErrorText, named, num, str, type Values } from './ingest-error-text';
import { editGoneText, failureReason } from './request-error-text';

/** Why csv-parse stopped, as the API names it (@wendao/ingest's CsvReadProblem). */
const CSV_PROBLEMS = ['quote_not_closed', 'invalid_closing_quote', 'invalid_opening_quote'] as const;

export function intentErrorText(err: Error, t: I18n['t']): string {
  const worded = err instanceof ApiError && err.code && err.values && wording(t, err.code, err.values);
  if (worded) return worded;
  const gone = /^example \S+ not found/.test(err.message)
    ? t('intentError.exampleGone')
    : t('intentError.gone');
  return failureReason(err, t, gone, t('requestError.kbGone'));
}

/**
 * A refused removal of an example: `intentGone` when its intent was deleted meanwhile, said as saving
 * says it (the editor then closes and the list reloads); else why, the editor staying open.
 */
export function exampleRemoveErrorText(err: Error, t: I18n['t']): { text: string; intentGone: boolean } {
  const gone = editGoneText(err, t, 'intent');
  return gone ? { text: gone, intentGone: true } : { text: intentErrorText(err, t), intentGone: false };
}

function wording(t: I18n['t'], code: string, v: Values): string | undefined {
  switch (code) {
    case 'intent_name_taken': {
      const name = str(v.name);
      return name ? t('intentError.nameTaken', { name }) : t('intentError.nameTakenUnnamed');
    }
    case 'intent_csv_empty':
      return t('intentError.csvEmpty');
    case 'intent_csv_header':
      return t('intentError.csvHeader');
    case 'intent_csv_no_rows':
      return t('intentError.csvNoRows');
    case 'intent_csv_unparsable': {
      // A quote out of place is said with its line; another reason only as csv-parse's detail.
      const line = num(v.line);
      const problem = CSV_PROBLEMS.find((p) => p === v.problem);
      if (problem && line !== undefined) return t(`intentError.csvUnparsable.${problem}`, { line });
      const reason = str(v.reason);
      return reason ? t('intentError.csvUnparsable', { reason }) : undefined;
    }
    // Refused as an FAQ upload would be: bytes neither UTF-8 nor GBK, a file over the limit.
    case 'invalid_utf8':
    case 'file_too_large':
      return ingestErrorText(t, { message: '', code, values: v }) || undefined;
    case 'intent_csv_too_many_rows': {
      const rows = num(v.rows);
      const max = num(v.max);
      return rows !== undefined && max !== undefined
        ? t('intentError.csvTooManyRows', { rows, max })
        : undefined;
    }
    case 'intent_csv_rows': {
      const count = num(v.count);
      if (count === undefined || !Array.isArray(v.problems)) return undefined;
      const rows: string[] = [];
      for (const p of v.problems as unknown[]) {
        const row = num((p as Values | null)?.row);
        const problem = named(t, 'intentError.problem', (p as Values | null)?.problem);
        if (row === undefined || problem === undefined) return undefined;
        rows.push(t('intentError.row', { row, problem }));
      }
      return t('intentError.csvRows', { count, problems: rows.join(t('intentError.separator')) });
    }
    default:
      return undefined;
  }
}
