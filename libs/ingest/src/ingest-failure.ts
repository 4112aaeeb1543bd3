/**
 * Why a file could not be ingested, as data: a stable code and the values it names (the file, the
 * type found, the types expected, a row, a limit), so a client can say it in its own language.
 * Every ingest error carries one; its English message is built from it (`ingestFailureMessage`).
 */
import type { CsvReadProblem } from './csv-read-problem';
import type { SourceType } from './parse-result';

/** What a file's first bytes show it to be, when that is not what its name says. */
export type FoundContent = 'pdf' | 'zip' | 'png' | 'jpeg' | 'gif' | 'exe' | 'elf' | 'ole' | 'gzip' | 'binary';

/** Why an item of a JSON FAQ list was skipped. */
export type JsonItemProblem =
  | 'not_object'
  | 'missing_question'
  | 'missing_answer'
  | 'alternates_not_list'
  | 'tags_not_list'
  | 'invalid_enabled';

/** A format a failure to read names: a source type, or `zip` for an archive inside an Office file. */
export type ReadFormat = 'csv' | 'json' | 'xlsx' | 'docx' | 'pdf' | 'zip';

export type IngestFailure =
  /** The file has no bytes, or only white space. */
  | { code: 'empty_file'; values: { file: string } }
  /** The extension (or, without one, the MIME type) names a format we do not read; `supported` lists those we do. */
  | {
      code: 'unsupported_type';
      values: { file: string; extension: string; mimeType?: string; supported: string[] };
    }
  /** An old binary Office format (.xls, .doc, .ppt, .pptx): convert it to `convertTo` first. */
  | { code: 'legacy_format'; values: { file: string; extension: string; convertTo: 'xlsx' | 'docx' | 'pdf' } }
  /** The name says `named` but the bytes are `found` (null: not recognised, only not the named type). */
  | { code: 'type_mismatch'; values: { file: string; named: SourceType; found: FoundContent | null } }
  /** A text file that is neither UTF-8 (nor UTF-16 with a BOM, nor GBK Chinese); `offset` of the first bad byte. */
  | { code: 'invalid_utf8'; values: { file: string; offset: number } }
  /**
   * The format's reader refused the bytes; `detail` is its own (English) message. For a CSV, `line`
   * is where reading stopped and `problem` why, when known (a quote left open: `line` is then the last).
   */
  | {
      code: 'unreadable_file';
      values: {
        file: string;
        format: ReadFormat;
        detail: string;
        line?: number;
        problem?: CsvReadProblem;
      };
    }
  /** A parser failed on a file of its format in a way it does not describe itself. */
  | { code: 'parser_error'; values: { file: string; format: SourceType; detail: string } }
  /** A CSV/TSV without a question and an answer column in its first rows; `found` is its first row. */
  | { code: 'no_faq_header'; values: { file: string; found: string[] } }
  /** A workbook none of whose sheets has a question and an answer column. */
  | { code: 'no_faq_sheet'; values: { file: string } }
  /** JSON that is neither an array nor {"faqs": [...]}. */
  | { code: 'not_faq_list'; values: { file: string } }
  /** A JSON list none of whose items is an FAQ entry; `item` (1-based) and `problem` are the last one's. */
  | { code: 'no_usable_faqs'; values: { file: string; item: number; problem: JsonItemProblem } }
  /** An Office archive that is not the kind its name says: `found` is the other kind, or null (neither). */
  | {
      code: 'wrong_office_file';
      values: { file: string; expected: 'docx' | 'xlsx'; found: 'docx' | 'xlsx' | null; missingPart: string };
    }
  /** An Office archive with more than `limit` entries. */
  | { code: 'archive_too_many_entries'; values: { file: string; limit: number } }
  /** An Office archive that inflates (or declares `declaredBytes`) over `limitBytes`. */
  | { code: 'archive_too_large'; values: { file: string; limitBytes: number; declaredBytes?: number } }
  /** An entry compressed more than `limit`:1. */
  | { code: 'archive_ratio'; values: { file: string; entry: string; limit: number } }
  /** An entry that inflates to more than the `declaredBytes` its header says. */
  | { code: 'archive_size_lie'; values: { file: string; entry: string; declaredBytes: number } }
  /** Archives nested more than `limit` deep (`entry` is the one too deep). */
  | { code: 'archive_too_deep'; values: { file: string; entry: string; limit: number } }
  /** A PDF of `pages` pages, over the `limit` (WENDAO_PDF_MAX_PAGES). */
  | { code: 'pdf_too_many_pages'; values: { file: string; pages: number; limit: number } }
  /** A PDF whose text passed `limit` characters (WENDAO_PDF_MAX_TEXT_CHARS) by page `page`. */
  | { code: 'pdf_too_much_text'; values: { file: string; limit: number; page: number } }
  /** A PDF without a text layer (a scan). */
  | { code: 'pdf_no_text'; values: { file: string } }
  /** Parsing ran past `limitMs` (WENDAO_PARSE_TIMEOUT_MS). */
  | { code: 'parse_timeout'; values: { file: string; limitMs: number } }
  /** Parsing needed more than `limitMb` MiB of heap (WENDAO_PARSE_MAX_HEAP_MB). */
  | { code: 'parse_out_of_memory'; values: { file: string; limitMb: number } }
  /** The parser's worker thread crashed. */
  | { code: 'parser_crashed'; values: { file: string; detail: string } }
  /** The parser's worker thread exited. */
  | { code: 'parser_exited'; values: { file: string; exitCode: number } }
  /** Parsed, but it held no FAQ entry and no text. */
  | { code: 'no_content'; values: { file: string } }
  /**
   * Only FAQ entries, every one asking a question an enabled entry of the KB already asks (`count`);
   * `documents`: the files those entries came from (none for entries added by hand).
   */
  | { code: 'faqs_already_in_kb'; values: { file: string; count: number; documents?: string[] } };

export type IngestFailureCode = IngestFailure['code'];
