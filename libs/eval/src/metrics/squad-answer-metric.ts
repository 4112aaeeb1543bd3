/**
 * SQuAD v1.1 answer scoring, a port of the official evaluate-v1.1.py rules: lower-case, strip
 * ASCII punctuation, drop the articles a/an/the, collapse whitespace; EM and bag-of-tokens F1,
 * each taking the best score over all gold answers.
 */

// Python's string.punctuation, the set the official script removes.
const ASCII_PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

export interface AnswerScore {
  exactMatch: number;
  f1: number;
}

/** The normalised form both prediction and gold go through before comparison. */
export function normalizeSquadAnswer(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase()) if (!ASCII_PUNCTUATION.has(ch)) out += ch;
  // Python 3's \b is Unicode-aware; JS's is ASCII-only, so spell the word boundary out.
  out = out.replace(/(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu, ' ');
  return out.split(/\s+/u).filter(Boolean).join(' ');
}

function tokens(text: string): string[] {
  const normalized = normalizeSquadAnswer(text);
  return normalized ? normalized.split(' ') : [];
}

function tokenF1(prediction: string, gold: string): number {
  const predTokens = tokens(prediction);
  const goldTokens = tokens(gold);
  const goldCounts = new Map<string, number>();
  for (const t of goldTokens) goldCounts.set(t, (goldCounts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of predTokens) {
    const left = goldCounts.get(t) ?? 0;
    if (left > 0) {
      same++;
      goldCounts.set(t, left - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / predTokens.length;
  const recall = same / goldTokens.length;
  return (2 * precision * recall) / (precision + recall);
}

/** EM and F1 (both 0..1) of one prediction against its gold answers, max over golds. */
export function squadAnswerScore(prediction: string, golds: readonly string[]): AnswerScore {
  if (golds.length === 0) throw new Error('squadAnswerScore: a question needs at least one gold answer');
  let exactMatch = 0;
  let f1 = 0;
  const normalizedPrediction = normalizeSquadAnswer(prediction);
  for (const gold of golds) {
    if (normalizeSquadAnswer(gold) === normalizedPrediction) exactMatch = 1;
    f1 = Math.max(f1, tokenF1(prediction, gold));
  }
  return { exactMatch, f1 };
}
