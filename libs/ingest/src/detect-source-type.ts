/**
 * Decides which parser reads an upload from its name, MIME type and first bytes, and refuses files
 * whose bytes contradict their name before any parser sees them (the API answers 415 for both errors).
 */
import { extname } from 'node:path';
import { FileTypeMismatchError, UnsupportedFileTypeError } from './ingest-errors';
import type { SourceType } from './parse-result';

const BY_EXTENSION: Record<string, SourceType> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.xlsx': 'xlsx',
  '.json': 'json',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'txt',
  '.text': 'txt',
  '.docx': 'docx',
  '.pdf': 'pdf',
};

// Used only when the file name has no extension: browsers and curl send all sorts for known ones.
const BY_MIME: Record<string, SourceType> = {
  'text/csv': 'csv',
  'text/tab-separated-values': 'csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/json': 'json',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'text/plain': 'txt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/pdf': 'pdf',
};

// Old binary Office formats are common uploads; say how to fix them rather than just "unsupported".
const LEGACY_HINTS: Record<string, string> = {
  '.xls': 'save it as .xlsx',
  '.doc': 'save it as .docx',
  '.ppt': 'export it as PDF',
  '.pptx': 'export it as PDF',
};

const SUPPORTED = 'CSV, XLSX, JSON, Markdown, HTML, TXT, DOCX or PDF';

interface Signature {
  what: string;
  matches(head: Buffer): boolean;
}

const startsWith = (head: Buffer, bytes: number[]) => bytes.every((b, i) => head[i] === b);

const SIGNATURES: Signature[] = [
  { what: 'a PDF', matches: (h) => h.subarray(0, 1024).includes('%PDF-') },
  { what: 'a ZIP/Office file', matches: (h) => startsWith(h, [0x50, 0x4b, 0x03, 0x04]) },
  { what: 'a PNG image', matches: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47]) },
  { what: 'a JPEG image', matches: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
  { what: 'a GIF image', matches: (h) => startsWith(h, [0x47, 0x49, 0x46, 0x38]) },
  {
    what: 'a Windows executable',
    matches: (h) => startsWith(h, [0x4d, 0x5a]) && h.length > 64 && h.includes('PE\0\0'),
  },
  { what: 'an ELF executable', matches: (h) => startsWith(h, [0x7f, 0x45, 0x4c, 0x46]) },
  { what: 'an old Office (OLE) file', matches: (h) => startsWith(h, [0xd0, 0xcf, 0x11, 0xe0]) },
  { what: 'a gzip archive', matches: (h) => startsWith(h, [0x1f, 0x8b]) },
];

function recognise(head: Buffer): string | undefined {
  return SIGNATURES.find((s) => s.matches(head))?.what;
}

/** Text files have no NUL bytes (unless UTF-16 with a BOM) and few control characters. */
function looksBinary(head: Buffer): boolean {
  if (head.length === 0) return false;
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  let control = 0;
  for (const b of head) {
    if (b === 0) return true;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return control / head.length > 0.05;
}

/** The type a file's name (or, without an extension, its MIME type) claims, before looking at its bytes. */
export function sourceTypeFromName(fileName: string, mimeType: string | undefined): SourceType {
  const ext = extname(fileName).toLowerCase();
  let type: SourceType | undefined = BY_EXTENSION[ext];
  if (!type && ext in LEGACY_HINTS) {
    throw new UnsupportedFileTypeError(
      `${fileName}: the ${ext} format is not supported; ${LEGACY_HINTS[ext]} and upload that.`,
    );
  }
  if (!type && ext === '') {
    const mime = mimeType?.split(';')[0].trim().toLowerCase();
    type = mime ? BY_MIME[mime] : undefined;
  }
  if (!type) {
    const what = ext ? `"${ext}" files` : `files without an extension${mimeType ? ` (${mimeType})` : ''}`;
    throw new UnsupportedFileTypeError(`${fileName}: ${what} are not supported; upload ${SUPPORTED}.`);
  }
  return type;
}

export function detectSourceType(fileName: string, mimeType: string | undefined, head: Buffer): SourceType {
  const type = sourceTypeFromName(fileName, mimeType);
  const found = recognise(head);
  switch (type) {
    case 'pdf':
      if (found !== 'a PDF')
        throw new FileTypeMismatchError(
          `${fileName} is named .pdf but is ${found ?? 'not a PDF'} (no %PDF header).`,
        );
      break;
    case 'docx':
    case 'xlsx':
      if (found !== 'a ZIP/Office file') {
        throw new FileTypeMismatchError(
          `${fileName} is named .${type} but is ${found ?? `not a ${type.toUpperCase()} (Office files are ZIP archives)`}.`,
        );
      }
      break;
    default:
      // A text format: anything we recognise as binary, or bytes that are not text, is a mismatch.
      if (found && found !== 'a PDF')
        throw new FileTypeMismatchError(`${fileName} is named as ${type} text but is ${found}.`);
      if (found === 'a PDF' && head.subarray(0, 5).toString('latin1') === '%PDF-') {
        throw new FileTypeMismatchError(`${fileName} is named as ${type} text but is a PDF.`);
      }
      if (looksBinary(head))
        throw new FileTypeMismatchError(`${fileName} is named as ${type} text but contains binary data.`);
  }
  return type;
}
