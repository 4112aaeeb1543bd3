/**
 * The English wording of an ingest failure (every ingest error's `message`, what the API stores on a
 * failed job). Built from the failure itself so the two can never disagree; clients that speak another
 * language word the code themselves (the admin console does, in zh and en).
 */
import { csvReadProblemText } from './csv-read-problem';
import { EXPECTED_HEADERS } from './faq-columns';
import type { FoundContent, IngestFailure, JsonItemProblem, ReadFormat } from './ingest-failure';

/** The formats an upload may have, as a refusal lists them. */
export const SUPPORTED_FORMATS = ['CSV', 'XLSX', 'JSON', 'Markdown', 'HTML', 'TXT', 'DOCX', 'PDF'];

export const EXPECTED_JSON_SHAPE =
  'Expected a JSON array of {"question": string, "answer": string, "alternates"?: string[], "tags"?: string[]} objects, or {"faqs": [...]} with such objects';

const FOUND: Record<FoundContent, string> = {
  pdf: 'a PDF',
  zip: 'a ZIP/Office file',
  png: 'a PNG image',
  jpeg: 'a JPEG image',
  gif: 'a GIF image',
  exe: 'a Windows executable',
  elf: 'an ELF executable',
  ole: 'an old Office (OLE) file',
  gzip: 'a gzip archive',
  binary: 'binary data',
};

const UNREADABLE: Record<ReadFormat, string> = {
  csv: 'is not a readable CSV file',
  json: 'is not valid JSON',
  xlsx: 'is not a readable Excel (.xlsx) workbook',
  docx: 'is not a readable Word (.docx) document',
  pdf: 'is not a readable PDF',
  zip: 'is not a readable zip archive',
};

const OFFICE_KIND = { docx: 'a readable Word (.docx) document', xlsx: 'a readable Excel (.xlsx) workbook' };

const JSON_ITEM_PROBLEM: Record<JsonItemProblem, string> = {
  not_object: 'not an object',
  missing_question: 'empty or missing "question"',
  missing_answer: 'empty or missing "answer"',
  alternates_not_list: '"alternates" must be a list of strings',
  tags_not_list: '"tags" must be a list of strings',
  invalid_enabled: '"enabled" is neither true nor false',
};

/** The warning for a skipped item of a JSON FAQ list (`item` is 1-based). */
export function jsonItemWarning(item: number, problem: JsonItemProblem): string {
  return `Item ${item}: ${JSON_ITEM_PROBLEM[problem]}, skipped.`;
}

const mib = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MiB`;

/** "A, B or C". */
const alternatives = (names: string[]) =>
  names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '');

export function ingestFailureMessage(failure: IngestFailure): string {
  switch (failure.code) {
    case 'empty_file':
      return `${failure.values.file} is empty.`;
    case 'unsupported_type': {
      const { file, extension, mimeType, supported } = failure.values;
      const what = extension
        ? `"${extension}" files`
        : `files without an extension${mimeType ? ` (${mimeType})` : ''}`;
      return `${file}: ${what} are not supported; upload ${alternatives(supported)}.`;
    }
    case 'legacy_format': {
      const { file, extension, convertTo } = failure.values;
      const hint = convertTo === 'pdf' ? 'export it as PDF' : `save it as .${convertTo}`;
      return `${file}: the ${extension} format is not supported; ${hint} and upload that.`;
    }
    case 'type_mismatch': {
      const { file, named, found } = failure.values;
      if (named === 'pdf')
        return `${file} is named .pdf but is ${found ? FOUND[found] : 'not a PDF'} (no %PDF header).`;
      if (named === 'docx' || named === 'xlsx') {
        const is = found ? FOUND[found] : `not a ${named.toUpperCase()} (Office files are ZIP archives)`;
        return `${file} is named .${named} but is ${is}.`;
      }
      return found && found !== 'binary'
        ? `${file} is named as ${named} text but is ${FOUND[found]}.`
        : `${file} is named as ${named} text but contains binary data.`;
    }
    case 'invalid_utf8': {
      const { file, offset } = failure.values;
      return `${file} is not valid UTF-8 text (invalid byte at offset ${offset}). Save the file with UTF-8 encoding and upload it again.`;
    }
    case 'unreadable_file': {
      const { file, format, detail, line, problem } = failure.values;
      // A problem we know is said in our words; the reader's own text stays in `detail`.
      if (problem && line !== undefined)
        return `${file} ${UNREADABLE[format]}: ${csvReadProblemText(problem, line)}.`;
      return `${file} ${UNREADABLE[format]}: ${detail}`;
    }
    case 'parser_error': {
      const { file, format, detail } = failure.values;
      return `${file} could not be read as ${format}: ${detail}`;
    }
    case 'no_faq_header': {
      const { file, found } = failure.values;
      return `${file} has no FAQ header row. Expected ${EXPECTED_HEADERS}; found: ${found.length ? found.join(', ') : 'nothing'}.`;
    }
    case 'no_faq_sheet':
      return `${failure.values.file} has no worksheet with an FAQ header row. Expected ${EXPECTED_HEADERS}.`;
    case 'not_faq_list':
      return `${failure.values.file} is not an FAQ list. ${EXPECTED_JSON_SHAPE}.`;
    case 'no_usable_faqs': {
      const { file, item, problem } = failure.values;
      return `${file} contains no usable FAQ entries (${jsonItemWarning(item, problem)}). ${EXPECTED_JSON_SHAPE}.`;
    }
    case 'wrong_office_file': {
      const { file, expected, found, missingPart } = failure.values;
      // "an XLSX", "a DOCX": the article goes by how the first letter is said.
      const kind = found?.toUpperCase();
      const actually = kind
        ? `${/^[AEFHILMNORSX]/.test(kind) ? 'an' : 'a'} ${kind} file`
        : `a zip archive without ${missingPart}`;
      return `${file} is not ${OFFICE_KIND[expected]}: it is ${actually}.`;
    }
    case 'archive_too_many_entries': {
      const { file, limit } = failure.values;
      return `${file} holds more than ${limit} files (zip entries).`;
    }
    case 'archive_too_large': {
      const { file, limitBytes, declaredBytes } = failure.values;
      return declaredBytes === undefined
        ? `${file} inflates to more than ${mib(limitBytes)} (a zip bomb?); refused.`
        : `${file} declares ${mib(declaredBytes)} of content, over the ${mib(limitBytes)} limit; refused.`;
    }
    case 'archive_ratio': {
      const { file, entry, limit } = failure.values;
      return `${file}: ${entry} is compressed more than ${limit}:1 (a zip bomb?); refused.`;
    }
    case 'archive_size_lie': {
      const { file, entry, declaredBytes } = failure.values;
      return `${file}: ${entry} inflates to more than the ${declaredBytes} bytes its header declares (a zip bomb?); refused.`;
    }
    case 'archive_too_deep': {
      const { file, entry, limit } = failure.values;
      return `${file} nests archives more than ${limit} deep (${entry}); refused.`;
    }
    case 'pdf_too_many_pages': {
      const { file, pages, limit } = failure.values;
      return `${file} has ${pages} pages; the limit is ${limit} (WENDAO_PDF_MAX_PAGES). Split it and upload the parts.`;
    }
    case 'pdf_too_much_text': {
      const { file, limit, page } = failure.values;
      return `${file} holds more than ${limit} characters of text (page ${page}); the limit is WENDAO_PDF_MAX_TEXT_CHARS.`;
    }
    case 'pdf_no_text':
      return `${failure.values.file} has no extractable text (is it a scanned image? OCR is not supported).`;
    case 'parse_timeout': {
      const { file, limitMs } = failure.values;
      return `${file}: reading it took longer than ${(limitMs / 1000).toFixed(1)} s (limit WENDAO_PARSE_TIMEOUT_MS); refused.`;
    }
    case 'parse_out_of_memory': {
      const { file, limitMb } = failure.values;
      return `${file}: reading it needed more than ${limitMb} MiB of memory (limit WENDAO_PARSE_MAX_HEAP_MB); refused.`;
    }
    case 'parser_crashed': {
      const { file, detail } = failure.values;
      return `${file}: the parser crashed (${detail}); refused.`;
    }
    case 'parser_exited': {
      const { file, exitCode } = failure.values;
      return `${file}: the parser exited (code ${exitCode}); refused.`;
    }
    case 'no_content':
      return `${failure.values.file}: no FAQ entries and no text found`;
    case 'faqs_already_in_kb': {
      const { file, count, documents } = failure.values;
      const from = documents?.length ? `, from ${documents.join(', ')}` : '';
      return `${file}: every question in it (${count}) is already in the knowledge base${from}; nothing was added. Edit those entries in the FAQ list, or delete them before importing the file's version`;
    }
  }
}
