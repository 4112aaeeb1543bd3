/**
 * JSON FAQ lists: an array of {question, answer, alternates?|similar?, tags?, enabled?} or {"faqs": [...]}.
 * Knowledge-base exports are imported by the API, not here.
 */
import { decodeText } from './decode-text';
import { readEnabled } from './faq-columns';
import { ParseError } from './ingest-errors';
import type { JsonItemProblem } from './ingest-failure';
import type { ParsedFaq, ParseResult } from './parse-result';

function stringList(value: unknown, separators: RegExp): string[] | null {
  if (value === undefined || value === null) return [];
  const items = typeof value === 'string' ? value.split(separators) : Array.isArray(value) ? value : null;
  if (!items || !items.every((v) => typeof v === 'string' || typeof v === 'number')) return null;
  return [...new Set(items.map((v) => String(v).trim()).filter(Boolean))];
}

export function parseJson(buffer: Buffer, fileName: string): ParseResult {
  const { text, warnings } = decodeText(buffer, fileName);
  if (text.trim() === '') throw new ParseError({ code: 'empty_file', values: { file: fileName } });
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ParseError({
      code: 'unreadable_file',
      values: { file: fileName, format: 'json', detail: (err as Error).message },
    });
  }
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as { faqs?: unknown }).faqs)
      ? (data as { faqs: unknown[] }).faqs
      : null;
  if (!list) throw new ParseError({ code: 'not_faq_list', values: { file: fileName } });

  const faqs: ParsedFaq[] = [];
  let lastSkipped: { item: number; problem: JsonItemProblem } | undefined;
  const skip = (item: number, problem: JsonItemProblem) => {
    lastSkipped = { item, problem };
    warnings.push({ code: 'item_skipped', values: { item, problem } });
  };
  list.forEach((item, i) => {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      skip(i + 1, 'not_object');
      return;
    }
    const o = item as Record<string, unknown>;
    const question = typeof o.question === 'string' ? o.question.trim() : '';
    const answer = typeof o.answer === 'string' ? o.answer.trim() : '';
    if (!question || !answer) {
      skip(i + 1, question ? 'missing_answer' : 'missing_question');
      return;
    }
    const alternates = stringList(o.alternates ?? o.similar, /[|｜;；\n]+/u);
    const tags = stringList(o.tags ?? o.category, /[|｜;；,，、\n]+/u);
    if (alternates === null || tags === null) {
      skip(i + 1, alternates === null ? 'alternates_not_list' : 'tags_not_list');
      return;
    }
    // enabled reads as the FAQ table's enabled column does (true/false, also "no", 0, "否"); a value
    // saying neither leaves the item out rather than put live an answer the admin switched off.
    const enabledValue = o.enabled ?? o.active;
    const enabled =
      enabledValue === undefined || enabledValue === null
        ? true
        : typeof enabledValue === 'boolean' ||
            typeof enabledValue === 'number' ||
            typeof enabledValue === 'string'
          ? readEnabled(String(enabledValue).trim())
          : undefined;
    if (enabled === undefined) {
      skip(i + 1, 'invalid_enabled');
      return;
    }
    faqs.push({
      question,
      answer,
      alternates: alternates.filter((a) => a !== question),
      tags,
      ...(enabled ? {} : { enabled: false }),
    });
  });
  if (lastSkipped && faqs.length === 0) {
    throw new ParseError({ code: 'no_usable_faqs', values: { file: fileName, ...lastSkipped } });
  }
  return { type: 'json', faqs, document: null, warnings };
}
