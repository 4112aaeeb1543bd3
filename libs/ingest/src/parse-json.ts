/**
 * JSON FAQ lists: an array of {question, answer, alternates?|similar?, tags?} or {"faqs": [...]}.
 * Knowledge-base exports are imported by the API, not here.
 */
import { decodeText } from './decode-text';
import { ParseError } from './ingest-errors';
import type { ParsedFaq, ParseResult } from './parse-result';

const EXPECTED_SHAPE =
  'Expected a JSON array of {"question": string, "answer": string, "alternates"?: string[], "tags"?: string[]} objects, or {"faqs": [...]} with such objects';

function stringList(value: unknown, separators: RegExp): string[] | null {
  if (value === undefined || value === null) return [];
  const items = typeof value === 'string' ? value.split(separators) : Array.isArray(value) ? value : null;
  if (!items || !items.every((v) => typeof v === 'string' || typeof v === 'number')) return null;
  return [...new Set(items.map((v) => String(v).trim()).filter(Boolean))];
}

export function parseJson(buffer: Buffer, fileName: string): ParseResult {
  const { text, warnings } = decodeText(buffer, fileName);
  if (text.trim() === '') throw new ParseError(`${fileName} is empty.`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ParseError(`${fileName} is not valid JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { faqs?: unknown }).faqs)
      ? (data as { faqs: unknown[] }).faqs
      : null;
  if (!list) throw new ParseError(`${fileName} is not an FAQ list. ${EXPECTED_SHAPE}.`);

  const faqs: ParsedFaq[] = [];
  list.forEach((item, i) => {
    const where = `Item ${i + 1}`;
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      warnings.push(`${where}: not an object, skipped.`);
      return;
    }
    const o = item as Record<string, unknown>;
    const question = typeof o.question === 'string' ? o.question.trim() : '';
    const answer = typeof o.answer === 'string' ? o.answer.trim() : '';
    if (!question || !answer) {
      warnings.push(
        `${where}: ${question ? 'empty or missing "answer"' : 'empty or missing "question"'}, skipped.`,
      );
      return;
    }
    const alternates = stringList(o.alternates ?? o.similar, /[|｜;；\n]+/u);
    const tags = stringList(o.tags ?? o.category, /[|｜;；,，、\n]+/u);
    if (alternates === null || tags === null) {
      warnings.push(
        `${where}: "${alternates === null ? 'alternates' : 'tags'}" must be a list of strings, skipped.`,
      );
      return;
    }
    faqs.push({ question, answer, alternates: alternates.filter((a) => a !== question), tags });
  });
  if (list.length > 0 && faqs.length === 0) {
    throw new ParseError(
      `${fileName} contains no usable FAQ entries (${warnings.at(-1)}). ${EXPECTED_SHAPE}.`,
    );
  }
  return { type: 'json', faqs, document: null, warnings };
}
