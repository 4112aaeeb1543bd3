/**
 * Why an upload failed, in the console's language. A refused upload's problem body and a failed job
 * carry the failure as {code, values} (docs/api.md, "Why an upload failed: codes"); each code this
 * console knows has a sentence in messages.ts filled with its values. A job that failed before codes
 * were stored, a code it does not know, or values it cannot read show the API's English message.
 */
import { ApiError } from './api';
import { messages, type MessageKey } from './messages';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** A failure as the API gives it: the English message, and the code and values where it has them. */
export interface IngestFailureView {
  message: string;
  code?: string | null;
  values?: unknown;
}

export type Values = Record<string, unknown>;
export type Wording = { key: MessageKey; vars: Record<string, string | number | undefined> };

export const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
export const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
export const strings = (v: unknown) =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

/** `known.<name>` when messages.ts has it, else undefined (the sentence then falls back). */
export function named(t: Translate, prefix: string, name: unknown): string | undefined {
  const key = `${prefix}.${String(name)}`;
  return typeof name === 'string' && key in messages.en ? t(key as MessageKey) : undefined;
}

/** Sizes as people read them: KiB under one MiB, else MiB with at most one decimal. */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
}

function wording(t: Translate, code: string, v: Values): Wording | undefined {
  const file = str(v.file);
  const key = (k: string) => `ingestError.${k}` as MessageKey;
  switch (code) {
    case 'empty_file':
    case 'not_faq_list':
    case 'no_faq_sheet':
    case 'pdf_no_text':
    case 'no_content':
    case 'database_unavailable':
    case 'internal_error':
      return { key: key(code), vars: { file } };
    case 'unsupported_type': {
      const supported = strings(v.supported);
      const list =
        supported && supported.length > 1
          ? `${supported.slice(0, -1).join(t('ingestError.comma'))}${t('ingestError.or')}${supported.at(-1)}`
          : supported?.[0];
      const extension = str(v.extension);
      if (extension) return { key: key(code), vars: { file, extension, supported: list } };
      const mimeType = str(v.mimeType);
      return {
        key: key('unsupported_type.noExtension'),
        vars: { file, supported: list, mimeType: mimeType ? t('ingestError.mimeType', { mimeType }) : '' },
      };
    }
    case 'legacy_format': {
      const convertTo = str(v.convertTo);
      const extension = str(v.extension);
      if (convertTo === 'pdf') return { key: key('legacy_format.pdf'), vars: { file, extension } };
      return { key: key(code), vars: { file, extension, convertTo } };
    }
    case 'type_mismatch': {
      const type = named(t, 'fileType', v.named);
      if (v.found === null) return { key: key('type_mismatch.unknown'), vars: { file, named: type } };
      return { key: key(code), vars: { file, named: type, found: named(t, 'foundContent', v.found) } };
    }
    case 'invalid_utf8':
      return { key: key(code), vars: { file, offset: num(v.offset) } };
    case 'faqs_already_in_kb': {
      // The files the KB's entries came from, when the API says (entries added by hand have none).
      const documents = strings(v.documents);
      if (documents?.length)
        return {
          key: key('faqs_already_in_kb_documents'),
          vars: { file, count: num(v.count), documents: documents.join(t('ingestError.comma')) },
        };
      return { key: key(code), vars: { file, count: num(v.count) } };
    }
    case 'unreadable_file':
      if (v.problem === 'quote_not_closed' && num(v.line) !== undefined)
        return { key: key('unreadable_file.quote'), vars: { file, line: num(v.line) } };
      if (
        (v.problem === 'invalid_closing_quote' || v.problem === 'invalid_opening_quote') &&
        num(v.line) !== undefined
      )
        return { key: key(`unreadable_file.${v.problem}`), vars: { file, line: num(v.line) } };
      return {
        key: key(code),
        vars: { file, format: named(t, 'fileType', v.format), detail: str(v.detail) },
      };
    case 'parser_error':
      return {
        key: key(code),
        vars: { file, format: named(t, 'fileType', v.format), detail: str(v.detail) },
      };
    case 'no_faq_header': {
      const found = strings(v.found);
      if (found?.length === 0) return { key: key('no_faq_header.nothing'), vars: { file } };
      return { key: key(code), vars: { file, found: found?.join(t('ingestError.comma')) } };
    }
    case 'no_usable_faqs':
      return {
        key: key(code),
        vars: { file, item: num(v.item), problem: named(t, 'jsonItemProblem', v.problem) },
      };
    case 'wrong_office_file': {
      const expected = named(t, 'fileType', v.expected);
      if (v.found === null)
        return {
          key: key('wrong_office_file.missingPart'),
          vars: { file, expected, part: str(v.missingPart) },
        };
      return { key: key(code), vars: { file, expected, found: named(t, 'fileType', v.found) } };
    }
    case 'archive_too_many_entries':
      return { key: key(code), vars: { file, limit: num(v.limit) } };
    case 'archive_too_large': {
      const limit = num(v.limitBytes);
      const declared = num(v.declaredBytes);
      const size = (b: number | undefined) => (b === undefined ? undefined : formatSize(b));
      if (v.declaredBytes !== undefined)
        return {
          key: key('archive_too_large.declared'),
          vars: { file, limit: size(limit), declared: size(declared) },
        };
      return { key: key(code), vars: { file, limit: size(limit) } };
    }
    case 'archive_ratio':
    case 'archive_too_deep':
      return { key: key(code), vars: { file, entry: str(v.entry), limit: num(v.limit) } };
    case 'archive_size_lie':
      return { key: key(code), vars: { file, entry: str(v.entry), declared: num(v.declaredBytes) } };
    case 'pdf_too_many_pages':
      return { key: key(code), vars: { file, pages: num(v.pages), limit: num(v.limit) } };
    case 'pdf_too_much_text':
      return { key: key(code), vars: { file, limit: num(v.limit), page: num(v.page) } };
    case 'parse_timeout': {
      const ms = num(v.limitMs);
      return {
        key: key(code),
        vars: { file, seconds: ms === undefined ? undefined : (ms / 1000).toFixed(1) },
      };
    }
    case 'parse_out_of_memory':
      return { key: key(code), vars: { file, limitMb: num(v.limitMb) } };
    case 'parser_crashed':
      return { key: key(code), vars: { file, detail: str(v.detail) } };
    case 'parser_exited':
      return { key: key(code), vars: { file, exitCode: num(v.exitCode) } };
    case 'abandoned':
      return { key: key(code), vars: { file, attempts: num(v.attempts) } };
    case 'file_too_large': {
      const limit = num(v.limitBytes);
      return { key: key(code), vars: { limit: limit === undefined ? undefined : formatSize(limit) } };
    }
    default:
      return undefined;
  }
}

export function ingestErrorText(t: Translate, failure: IngestFailureView): string {
  return worded(t, failure, wording);
}

/**
 * `item` in the console's words: `wordingOf` picks the sentence for its code and values; no code,
 * values that are not an object, a code it does not know or a value missing give `item.message`.
 */
export function worded(
  t: Translate,
  item: IngestFailureView,
  wordingOf: (t: Translate, code: string, values: Values) => Wording | undefined,
): string {
  const { code, values, message } = item;
  if (!code || !values || typeof values !== 'object' || Array.isArray(values)) return message;
  const w = wordingOf(t, code, values as Values);
  if (!w) return message;
  // Every placeholder of the sentence needs its value; one missing means values this console cannot read.
  const needed = [...messages.en[w.key].matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  if (needed.some((name) => w.vars[name] === undefined)) return message;
  return t(w.key, w.vars as Record<string, string | number>);
}

/** A refused request's failure: its code and values when the API gave them, else its message only. */
export function refusalOf(err: Error): IngestFailureView {
  return err instanceof ApiError
    ? { message: err.message, code: err.code, values: err.values }
    : { message: err.message };
}

/** A failed job's reason in the console's language (its English `error` when it has no code). */
export function jobErrorText(
  t: Translate,
  job: { error?: string | null; errorCode?: string | null; errorValues?: unknown },
): string | undefined {
  if (!job.error) return undefined;
  return ingestErrorText(t, { message: job.error, code: job.errorCode, values: job.errorValues });
}
