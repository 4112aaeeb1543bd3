/**
 * Guesses which sentences of a text are headings when nothing marks them (plain text, raw Markdown,
 * a PDF in one font): short unpunctuated whole lines that open a paragraph and introduce a line of text.
 */
import type { TextSpan } from './sentences';

// A heading ends without the punctuation that ends or continues a sentence.
const TERMINAL_PUNCT = /[。！？!?.;；:：,，、…]$/u;
const MAX_HEADING_LENGTH = 40;

function isWholeLine(text: string, start: number, end: number): boolean {
  const before = text.lastIndexOf('\n', start - 1);
  const after = text.indexOf('\n', end);
  return (
    text.slice(before + 1, start).trim() === '' &&
    text.slice(end, after < 0 ? text.length : after).trim() === ''
  );
}

function looksLikeHeading(text: string, s: TextSpan): boolean {
  return (
    s.text.length <= MAX_HEADING_LENGTH && !TERMINAL_PUNCT.test(s.text) && isWholeLine(text, s.start, s.end)
  );
}

/** One flag per sentence of splitSentences(text): true where the sentence is guessed to be a heading. */
export function guessHeadings(text: string, sentences: readonly TextSpan[]): boolean[] {
  return sentences.map((s, i) => {
    const next = sentences[i + 1];
    if (!next || !looksLikeHeading(text, s)) return false;
    const opensParagraph =
      i === 0 || /\n[ \t]*\n[ \t]*$/.test(text.slice(Math.max(0, s.start - 20), s.start));
    // A run of short lines is a list, not a heading followed by its text.
    return opensParagraph && !looksLikeHeading(text, next) && text.slice(s.end, next.start).includes('\n');
  });
}
