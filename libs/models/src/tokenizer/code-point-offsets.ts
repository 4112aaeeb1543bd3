/**
 * The Rust tokenizers report offsets in Unicode code points; JavaScript strings index UTF-16 code
 * units. Emoji and CJK extension characters (outside the BMP) make the two differ.
 */

/**
 * Maps code-point offsets into `text` to UTF-16 offsets (what String#slice takes).
 * Returns null when the text has no surrogate pairs, so callers can skip the conversion.
 */
export function codePointToUtf16Map(text: string): Uint32Array | null {
  let astral = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      astral = true;
      break;
    }
  }
  if (!astral) return null;
  // One entry per code point plus the end position.
  const map: number[] = [];
  let i = 0;
  while (i < text.length) {
    map.push(i);
    const c = text.charCodeAt(i);
    const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
    i += c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
  }
  map.push(text.length);
  return Uint32Array.from(map);
}
