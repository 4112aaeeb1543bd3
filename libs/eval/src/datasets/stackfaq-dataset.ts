/**
 * StackFAQ (Karan & Snajder 2018): 125 StackExchange threads with crowd paraphrases. A thread is an
 * FAQ entry (its question and top answers); the paraphrases are the held-out queries.
 */
import { readFileSync } from 'node:fs';
import type { RetrievalSet } from './retrieval-set';

interface StackFaqJson {
  root?: { qapair?: Array<{ rephr?: unknown[]; question?: string; answer?: string | string[] }> };
}

/** A paraphrase is usable when it has at least one letter (the file holds '*' and null placeholders). */
function usable(text: unknown): text is string {
  return typeof text === 'string' && /\p{L}/u.test(text);
}

export function parseStackFaqJson(json: unknown, source = 'StackFAQ JSON'): RetrievalSet {
  const pairs = (json as StackFaqJson)?.root?.qapair;
  if (!Array.isArray(pairs)) throw new Error(`${source}: expected root.qapair[]`);
  const set: RetrievalSet = { entries: [], queries: [], language: 'en' };
  pairs.forEach((pair, i) => {
    if (typeof pair.question !== 'string') throw new Error(`${source}: thread ${i} has no question`);
    const id = `thread-${i}`;
    const answers = Array.isArray(pair.answer) ? pair.answer : pair.answer ? [pair.answer] : [];
    set.entries.push({ id, texts: [pair.question, ...answers.filter(usable)] });
    for (const text of (pair.rephr ?? []).filter(usable)) set.queries.push({ text, relevant: [id] });
  });
  return set;
}

export function loadStackFaq(path: string): RetrievalSet {
  return parseStackFaqJson(JSON.parse(readFileSync(path, 'utf8')), path);
}
