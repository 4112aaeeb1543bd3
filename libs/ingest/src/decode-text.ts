/**
 * Turns the bytes of a text upload into a string. UTF-8 is expected; Excel on Chinese Windows saves
 * CSV as GBK, so a file that is not UTF-8 but decodes cleanly as GB18030 into Chinese text is accepted.
 */
import { cjkRatio } from '@wendao/text';
import { ParseError } from './ingest-errors';
import type { IngestWarning } from './ingest-warning';

export interface DecodedText {
  text: string;
  warnings: IngestWarning[];
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Offset of the first byte that breaks UTF-8, for an error message the user can act on. */
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const len =
      b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += len;
  }
  return -1;
}

// Control characters other than tab/newline/carriage return/form feed mean the bytes are not text.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000e-\u001f\u007f]/;

export function decodeText(buffer: Buffer, fileName: string): DecodedText {
  let bytes: Uint8Array = buffer;
  if (UTF8_BOM.every((b, i) => bytes[i] === b)) bytes = bytes.subarray(3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), warnings: [] };
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), warnings: [] };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), warnings: [] };
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    let gb: string | null = null;
    try {
      gb = new TextDecoder('gb18030', { fatal: true }).decode(bytes);
    } catch {
      gb = null;
    }
    // GB18030 accepts almost any byte pairs, so only trust it when the result reads as Chinese text.
    if (gb !== null && !CONTROL_CHARS.test(gb) && cjkRatio(gb) >= 0.3) {
      return {
        text: gb,
        warnings: [{ code: 'read_as_gbk', values: { file: fileName } }],
      };
    }
    throw new ParseError({ code: 'invalid_utf8', values: { file: fileName, offset } });
  }
}
