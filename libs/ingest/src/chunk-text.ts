/**
 * Splits document text into passages for retrieval and the reader: whole sentences grouped up to a
 * target length, the last sentence repeated at the start of the next passage so an answer on a
 * boundary is seen whole, headings kept with the text they introduce, offsets exact into the source.
 */
import { guessHeadings, splitSentences } from '@wendao/text';
import type { DocumentSection } from './parse-result';

export interface Passage {
  text: string;
  /** `text === source.slice(start, end)` (UTF-16 offsets, like String#slice). */
  start: number;
  end: number;
  ordinal: number;
  /** The heading of the section the passage starts in, when the document has one. */
  heading?: string;
}

export interface ChunkOptions {
  /** Passages grow by whole sentences up to this many characters (default 300). */
  targetLength?: number;
  /** No passage is longer; only a sentence longer than this is cut inside (default max(500, targetLength)). */
  maxLength?: number;
  /** How many trailing sentences of a passage start the next one as well (default 1; 0 for none). */
  overlap?: number;
  /** ParsedDocument.sections: tells which lines are headings; without it short title-like lines are guessed. */
  sections?: DocumentSection[];
}

interface Unit {
  start: number;
  end: number;
  heading: boolean;
}

// Where a too-long sentence may be cut: after a clause mark or at whitespace.
const SOFT_BREAK = /[，,、;；:：\s]/u;

function checkLength(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min)
    throw new RangeError(`chunkText: ${name} must be an integer >= ${min}, got ${value}`);
}

/** Heading sentences: from the parser's sections when given, else short unpunctuated lines that open a paragraph. */
function markHeadings(
  text: string,
  sentences: Array<{ text: string; start: number; end: number }>,
  sections?: DocumentSection[],
): boolean[] {
  // Sections without any heading (plain text, a PDF in one font) say nothing about headings: guess instead.
  if (sections?.some((s) => s.heading !== undefined)) {
    const ranges = sections
      .filter((s) => s.heading !== undefined && text.startsWith(s.heading, s.start))
      .map((s) => [s.start, s.start + s.heading!.length]);
    return sentences.map((s) => ranges.some(([a, b]) => s.start >= a && s.end <= b));
  }
  return guessHeadings(text, sentences);
}

/** Cuts a sentence longer than maxLength into pieces near targetLength, at clause marks or spaces when possible. */
function splitLongUnit(text: string, unit: Unit, target: number, max: number): Unit[] {
  const pieces: Unit[] = [];
  let pos = unit.start;
  while (unit.end - pos > max) {
    let cut = -1;
    for (const [from, to] of [
      [pos + Math.floor(target / 2), pos + target],
      [pos + 1, pos + max],
    ]) {
      for (let i = Math.min(to, unit.end) - 1; i >= from && cut < 0; i--)
        if (SOFT_BREAK.test(text[i])) cut = i + 1;
      if (cut > 0) break;
    }
    if (cut < 0) {
      cut = pos + target;
      const code = text.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut--; // never separate a surrogate pair
    }
    let end = cut;
    while (end > pos && /\s/.test(text[end - 1])) end--;
    if (end > pos) pieces.push({ start: pos, end, heading: false });
    pos = cut;
    while (pos < unit.end && /\s/.test(text[pos])) pos++;
  }
  if (pos < unit.end) pieces.push({ start: pos, end: unit.end, heading: false });
  return pieces;
}

export function chunkText(text: string, options: ChunkOptions = {}): Passage[] {
  if (typeof text !== 'string') throw new TypeError('chunkText expects a string');
  const target = options.targetLength ?? 300;
  const max = options.maxLength ?? Math.max(500, target);
  const overlap = options.overlap ?? 1;
  checkLength('targetLength', target, 1);
  checkLength('maxLength', max, 1);
  checkLength('overlap', overlap, 0);
  if (target > max)
    throw new RangeError(`chunkText: targetLength (${target}) must not exceed maxLength (${max})`);
  const minLength = Math.floor(target / 2);

  const sentences = splitSentences(text);
  const headings = markHeadings(text, sentences, options.sections);
  const units: Unit[] = sentences.flatMap((s, i) => {
    const unit = { start: s.start, end: s.end, heading: headings[i] };
    return unit.end - unit.start > max ? splitLongUnit(text, unit, target, max) : [unit];
  });

  const passages: Passage[] = [];
  let i = 0;
  let mustReach = 0;
  while (i < units.length) {
    const first = units[i].start;
    let j = i;
    while (j + 1 < units.length) {
      const next = units[j + 1];
      const length = next.end - first;
      const current = units[j].end - first;
      if (j + 1 <= mustReach) j++;
      else if (next.heading && !units[j].heading && current >= minLength) break;
      else if (length <= target || (current < minLength && length <= max)) j++;
      else break;
    }
    // A heading belongs with the text after it, never at the end of a passage.
    while (j > Math.max(i, mustReach) && units[j].heading && j + 1 < units.length) j--;
    passages.push({
      text: text.slice(first, units[j].end),
      start: first,
      end: units[j].end,
      ordinal: passages.length,
    });
    if (j + 1 >= units.length) break;

    let k = j + 1;
    const next = units[j + 1];
    if (!next.heading) {
      for (let back = 1; back <= overlap; back++) {
        const candidate = j + 1 - back;
        if (candidate <= i || units[candidate].heading) break;
        const overlapLength = units[j].end - units[candidate].start;
        if (overlapLength > minLength || next.end - units[candidate].start > max) break;
        k = candidate;
      }
    }
    mustReach = j + 1;
    i = k;
  }
  return attachHeadings(text, passages, units, options.sections);
}

/** The section heading each passage starts under, so a passage that starts mid-section keeps its context. */
function attachHeadings(
  text: string,
  passages: Passage[],
  units: Unit[],
  sections?: DocumentSection[],
): Passage[] {
  const headings = sections?.some((s) => s.heading !== undefined)
    ? sections.filter((s) => s.heading !== undefined).map((s) => ({ start: s.start, text: s.heading! }))
    : units.filter((u) => u.heading).map((u) => ({ start: u.start, text: text.slice(u.start, u.end) }));
  let h = -1;
  for (const p of passages) {
    while (h + 1 < headings.length && headings[h + 1].start <= p.start) h++;
    if (h >= 0) p.heading = headings[h].text;
  }
  return passages;
}
