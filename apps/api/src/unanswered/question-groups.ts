/**
 * Groups unanswered questions that ask the same thing, so the admin writes one FAQ entry per group.
 * Greedy single pass, most frequent phrasing first: a question joins the group whose representative
 * it is most similar to, if at or above the threshold, else starts a group. Similarity is the cosine
 * of sentence embeddings when there are vectors (neural mode), else the Dice coefficient of character
 * bigrams (CJK) and words (Latin) of the normalised questions.
 */
import { createHash } from 'node:crypto';
import { cosineSimilarity } from '@wendao/encoder';

export interface UnansweredQuestion {
  question: string;
  /** normalizeQuestion(question): identical ones are one phrasing. */
  normalized: string;
  reason: 'fallback' | 'thumbs_down';
  at: Date;
  vector?: Float32Array;
}

export interface QuestionGroup {
  /** Stable while the representative phrasing stays the group's most frequent one. */
  id: string;
  representative: string;
  count: number;
  fallbacks: number;
  thumbsDown: number;
  /** Every distinct phrasing, most frequent first (the new FAQ entry's alternates). */
  questions: string[];
  lastAskedAt: Date;
}

export const LEXICAL_GROUP_THRESHOLD = 0.5;
export const NEURAL_GROUP_THRESHOLD = 0.85;

export function lexicalTerms(normalized: string): Set<string> {
  const terms = new Set<string>();
  for (const word of normalized.match(/[a-z0-9]+/g) ?? []) terms.add(word);
  for (const run of normalized.match(/[\u3400-\u9fff\uf900-\ufaff]+/g) ?? []) {
    if (run.length === 1) terms.add(run);
    for (let i = 0; i + 1 < run.length; i++) terms.add(run.slice(i, i + 2));
  }
  return terms;
}

export function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return (2 * shared) / (a.size + b.size);
}

interface Phrasing {
  normalized: string;
  question: string;
  items: UnansweredQuestion[];
  terms: Set<string>;
  vector?: Float32Array;
}

export function groupQuestions(questions: UnansweredQuestion[]): QuestionGroup[] {
  const phrasings = new Map<string, Phrasing>();
  for (const q of questions) {
    const known = phrasings.get(q.normalized);
    if (known) known.items.push(q);
    else
      phrasings.set(q.normalized, {
        normalized: q.normalized,
        question: q.question.trim(),
        items: [q],
        terms: lexicalTerms(q.normalized),
        vector: q.vector,
      });
  }
  const ordered = [...phrasings.values()].sort(
    (a, b) => b.items.length - a.items.length || a.normalized.localeCompare(b.normalized),
  );
  const neural = ordered.every((p) => p.vector);
  const threshold = neural ? NEURAL_GROUP_THRESHOLD : LEXICAL_GROUP_THRESHOLD;
  const groups: Phrasing[][] = [];
  for (const phrasing of ordered) {
    let best: Phrasing[] | undefined;
    let bestScore = threshold;
    for (const group of groups) {
      const head = group[0];
      const score = neural
        ? cosineSimilarity(phrasing.vector!, head.vector!)
        : dice(phrasing.terms, head.terms);
      if (score >= bestScore) {
        best = group;
        bestScore = score;
      }
    }
    if (best) best.push(phrasing);
    else groups.push([phrasing]);
  }
  return groups
    .map((group) => {
      const items = group.flatMap((p) => p.items);
      return {
        id: createHash('sha256').update(group[0].normalized).digest('hex').slice(0, 16),
        representative: group[0].question,
        count: items.length,
        fallbacks: items.filter((i) => i.reason === 'fallback').length,
        thumbsDown: items.filter((i) => i.reason === 'thumbs_down').length,
        questions: group.map((p) => p.question),
        lastAskedAt: new Date(Math.max(...items.map((i) => i.at.getTime()))),
      };
    })
    .sort((a, b) => b.count - a.count || b.lastAskedAt.getTime() - a.lastAskedAt.getTime());
}
