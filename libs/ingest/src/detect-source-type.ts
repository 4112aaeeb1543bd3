/**
 * Decides which parser reads an upload from its name, MIME type and first bytes, and refuses files
 * whose bytes contradict their name before any parser sees them (the API answers 415 for both errors).
 */
import { extname } from 'node:path';
import { FileTypeMismatchError, UnsupportedFileTypeError } from './ingest-errors';
import type { FoundContent } from './ingest-failure';
import { SUPPORTED_FORMATS } from './ingest-failure-message';
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

// Old binary Office formats are common uploads; say what to convert them to rather than just "unsupported".
const LEGACY_CONVERT_TO: Record<string, 'xlsx' | 'docx' | 'pdf'> = {
  '.xls': 'xlsx',
  '.doc': 'docx',
  '.ppt': 'pdf',
  '.pptx': 'pdf',
};

interface Signature {
  what: FoundContent;
  matches(head: Buffer): boolean;
}

const startsWith = (head: Buffer, bytes: number[]) => bytes.every((b, i) => head[i] === b);

const SIGNATURES: Signature[] = [
  { what: 'pdf', matches: (h) => h.subarray(0, 1024).includes('%PDF-') },
  { what: 'zip', matches: (h) => startsWith(h, [0x50, 0x4b, 0x03, 0x04]) },
  { what: 'png', matches: (h) => startsWith(h, [0x89, 0x50, 0x4e, 0x47]) },
  { what: 'jpeg', matches: (h) => startsWith(h, [0xff, 0xd8, 0xff]) },
  { what: 'gif', matches: (h) => startsWith(h, [0x47, 0x49, 0x46, 0x38]) },
  {
    what: 'exe',
    matches: (h) => startsWith(h, [0x4d, 0x5a]) && h.length > 64 && h.includes('PE\0\0'),
  },
  { what: 'elf', matches: (h) => startsWith(h, [0x7f, 0x45, 0x4c, 0x46]) },
  { what: 'ole', matches: (h) => startsWith(h, [0xd0, 0xcf, 0x11, 0xe0]) },
  { what: 'gzip', matches: (h) => startsWith(h, [0x1f, 0x8b]) },
];

function recognise(head: Buffer): FoundContent | undefined {
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
  if (!type && ext in LEGACY_CONVERT_TO) {
    throw new UnsupportedFileTypeError({
      code: 'legacy_format',
      values: { file: fileName, extension: ext, convertTo: LEGACY_CONVERT_TO[ext] },
    });
  }
  if (!type && ext === '') {
    const mime = mimeType?.split(';')[0].trim().toLowerCase();
    type = mime ? BY_MIME[mime] : undefined;
  }
  if (!type) {
    throw new UnsupportedFileTypeError({
      code: 'unsupported_type',
      values: {
        file: fileName,
        extension: ext,
        ...(!ext && mimeType ? { mimeType } : {}),
        supported: [...SUPPORTED_FORMATS],
      },
    });
  }
  return type;
}

export function detectSourceType(fileName: string, mimeType: string | undefined, head: Buffer): SourceType {
  const type = sourceTypeFromName(fileName, mimeType);
  const found = recognise(head);
  const mismatch = (what: FoundContent | null) =>
    new FileTypeMismatchError({
      code: 'type_mismatch',
      values: { file: fileName, named: type, found: what },
    });
  switch (type) {
    case 'pdf':
      if (found !== 'pdf') throw mismatch(found ?? null);
      break;
    case 'docx':
    case 'xlsx':
      if (found !== 'zip') throw mismatch(found ?? null);
      break;
    default:
      // A text format: anything we recognise as binary, or bytes that are not text, is a mismatch.
      if (found && found !== 'pdf') throw mismatch(found);
      if (found === 'pdf' && head.subarray(0, 5).toString('latin1') === '%PDF-') throw mismatch('pdf');
      if (looksBinary(head)) throw mismatch('binary');
  }
  return type;
}
