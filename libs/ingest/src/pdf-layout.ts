/**
 * Rebuilds paragraphs and headings from positioned PDF text items: lines come from items sharing a
 * baseline, paragraphs from larger vertical gaps, headings from larger fonts, and lines that fill the
 * text width are joined back together (PDFs hard-wrap every line).
 */
import { isCjkChar } from '@wendao/text';
import type { DocumentBlock } from './faq-document-assembler';
import { stripAnswerPrefix, stripQuestionPrefix } from './question-markers';

export interface PdfTextItem {
  str: string;
  x: number;
  y: number;
  width: number;
  fontSize: number;
  hasEOL: boolean;
}

interface PdfLine {
  text: string;
  y: number;
  left: number;
  right: number;
  fontSize: number;
}

const isCjkPunct = (ch: string) => /[\u3000-\u303f\uff00-\uffef]/u.test(ch);
const isCjkLike = (ch: string | undefined) => ch !== undefined && (isCjkChar(ch) || isCjkPunct(ch));

/** Joins two pieces of one line or one paragraph: no space between CJK, none after a hyphenated break. */
function join(a: string, b: string, mayDehyphenate: boolean): string {
  if (!a) return b;
  if (!b) return a;
  const last = a[a.length - 1];
  const first = b[0];
  if (/\s/.test(last) || /\s/.test(first)) return a + b;
  if (isCjkLike(last) || isCjkLike(first)) return a + b;
  if (mayDehyphenate && last === '-' && /[a-z]/.test(first)) return a.slice(0, -1) + b;
  return `${a} ${b}`;
}

function pageLines(items: PdfTextItem[]): PdfLine[] {
  const lines: PdfLine[] = [];
  let line: PdfLine | null = null;
  for (const item of items) {
    const size = item.fontSize || 1;
    const sameLine = line !== null && Math.abs(item.y - line.y) < size * 0.5;
    if (item.str.trim() === '') {
      if (line && item.str && sameLine) line.text += ' ';
      if (item.hasEOL) line = null;
      continue;
    }
    if (!line || !sameLine) {
      line = { text: item.str, y: item.y, left: item.x, right: item.x + item.width, fontSize: size };
      lines.push(line);
    } else {
      const gap = item.x - line.right;
      const joined =
        gap > size * 0.15 && !/\s$/.test(line.text) ? join(line.text, item.str, false) : line.text + item.str;
      line.text = joined;
      line.right = Math.max(line.right, item.x + item.width);
      line.fontSize = Math.max(line.fontSize, size);
    }
    if (item.hasEOL) line = null;
  }
  for (const l of lines) l.text = l.text.replace(/\s+/g, ' ').trim();
  return lines.filter((l) => l.text);
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Blocks of a PDF given its pages' text items (in content order, as pdf.js returns them). */
export function pdfBlocks(pages: PdfTextItem[][]): DocumentBlock[] {
  const pagesLines = pages.map(pageLines);
  const all = pagesLines.flat();
  // Body font size: the size most characters are set in.
  const bodySize = median(
    all.flatMap((l) => Array<number>(Math.min(l.text.length, 200)).fill(Math.round(l.fontSize * 10) / 10)),
  );
  const headingSizes = [
    ...new Set(
      all.filter((l) => l.fontSize >= bodySize * 1.15 && l.text.length <= 80).map((l) => l.fontSize),
    ),
  ].sort((a, b) => b - a);
  const blocks: DocumentBlock[] = [];
  for (const lines of pagesLines) {
    // Line spacing inside paragraphs: the smaller gaps between neighbouring lines of one size
    // (paragraph and heading gaps are the larger ones).
    const spacings = lines
      .slice(1)
      .map((l, i) => (l.fontSize === lines[i].fontSize ? lines[i].y - l.y : 0))
      .filter((d) => d > 0 && d < bodySize * 3)
      .sort((a, b) => a - b);
    const spacing = spacings[Math.floor(spacings.length * 0.3)] ?? bodySize * 1.2;
    const rightEdge = Math.max(...lines.map((l) => l.right));
    let paragraph = '';
    let prev: PdfLine | null = null;
    const flush = () => {
      if (paragraph.trim()) blocks.push({ kind: 'paragraph', text: paragraph.trim() });
      paragraph = '';
    };
    for (const line of lines) {
      const level = headingSizes.indexOf(line.fontSize);
      if (level >= 0) {
        flush();
        const last = blocks[blocks.length - 1];
        // A heading set over two lines arrives as two heading lines of the same size.
        if (
          last?.kind === 'heading' &&
          last.level === level + 1 &&
          prev &&
          level === headingSizes.indexOf(prev.fontSize)
        ) {
          last.text = join(last.text, line.text, true);
        } else blocks.push({ kind: 'heading', level: Math.min(level + 1, 6), text: line.text });
        prev = line;
        continue;
      }
      if (
        prev &&
        (headingSizes.includes(prev.fontSize) || prev.y - line.y > spacing * 1.4 || prev.y < line.y)
      )
        flush();
      const startsEntry =
        stripQuestionPrefix(line.text) !== null ||
        stripAnswerPrefix(line.text) !== null ||
        /^([•·▪●\-*]|\d+[.)、])\s*/u.test(line.text);
      const prevFilled = prev !== null && prev.right >= rightEdge * 0.85;
      if (!paragraph) paragraph = line.text;
      else if (prevFilled && !startsEntry) paragraph = join(paragraph, line.text, true);
      else paragraph += `\n${line.text}`;
      prev = line;
    }
    flush();
  }
  return blocks;
}
