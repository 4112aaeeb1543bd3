/**
 * Sentence splitting for mixed Chinese/English text that keeps character offsets,
 * so every later stage (chunks, answer spans) can point back into the source text.
 */

export interface TextSpan {
  text: string;
  /** Offset of the first character in the source text (UTF-16 code units, like String#slice). */
  start: number;
  /** Offset one past the last character. */
  end: number;
}

// Terminators that always end a sentence (CJK full-width and ASCII), plus closing quotes/brackets that
// belong to the sentence they close.
const CJK_TERMINATORS = new Set(['。', '！', '？', '；', '…']);
const ASCII_TERMINATORS = new Set(['!', '?', ';']);
const CLOSERS = new Set(['”', '’', '」', '』', '）', ')', '"', "'", '】', '》']);

function isSpace(ch: string): boolean {
  return /\s/.test(ch);
}

/** A '.' ends an English sentence only before whitespace/end, and not inside numbers like 3.5 or e.g. */
function isSentenceDot(text: string, i: number): boolean {
  const next = text[i + 1];
  if (next !== undefined && !isSpace(next) && !CLOSERS.has(next)) return false;
  const prev = text[i - 1];
  if (prev !== undefined && /\d/.test(prev) && next !== undefined && /\d/.test(next)) return false;
  // Single-letter abbreviations ("e.g.", "U.S.") stay in the sentence.
  const before = text.slice(Math.max(0, i - 2), i);
  if (/^(\s|\.)?[A-Za-z]$/.test(before) || /\.[A-Za-z]$/.test(before)) return false;
  return true;
}

/**
 * Splits text into sentences. Newlines also end a sentence (FAQ documents are line-oriented).
 * Leading/trailing whitespace is trimmed from each sentence; offsets refer to the trimmed text.
 */
export function splitSentences(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  let start = 0;
  const push = (end: number) => {
    let s = start;
    let e = end;
    while (s < e && isSpace(text[s])) s++;
    while (e > s && isSpace(text[e - 1])) e--;
    if (e > s) spans.push({ text: text.slice(s, e), start: s, end: e });
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    let boundary = false;
    if (ch === '\n' || ch === '\r') {
      push(i);
      continue;
    }
    if (CJK_TERMINATORS.has(ch) || ASCII_TERMINATORS.has(ch)) boundary = true;
    else if (ch === '.' && isSentenceDot(text, i)) boundary = true;
    if (boundary) {
      let end = i + 1;
      // Runs like "？！" or "……" and closing quotes stay with the sentence.
      while (
        end < text.length &&
        (CJK_TERMINATORS.has(text[end]) || ASCII_TERMINATORS.has(text[end]) || CLOSERS.has(text[end]))
      )
        end++;
      push(end);
      i = end - 1;
    }
  }
  push(text.length);
  return spans;
}
