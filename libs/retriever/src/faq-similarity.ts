/**
 * Lexical FAQ confidence in [0, 1]: the Dice coefficient between the token multisets of the
 * user's question and one FAQ phrasing. Tokens are character bigrams inside CJK runs (a single
 * CJK character stands alone) and lower-cased words/numbers elsewhere, after normalizeQuestion.
 * Identical questions score 1; a reordering keeps most bigrams; a question that only shares a
 * topic word ("退货") with the FAQ stays low. BM25 scores are unbounded and depend on the corpus,
 * so they pick the candidates and this score decides against the KB's FAQ threshold. It lives in
 * the lib so the API's decision and the threshold tuning in @wendao/eval score with the same function.
 */
import { isCjkChar, normalizeQuestion } from '@wendao/text';

// Function words that make English questions look alike ("what is the ...") without meaning it.
const EN_STOPWORDS = new Set(
  (
    'a an the is are was do does did i you my your we our to of in on for it can how what when where ' +
    'which who be me and or with at this that there will should could would'
  ).split(' '),
);

export function similarityTokens(text: string): string[] {
  const tokens: string[] = [];
  const normalized = normalizeQuestion(text);
  let cjkRun: string[] = [];
  let word = '';
  const flushWord = () => {
    if (word && !EN_STOPWORDS.has(word)) tokens.push(word);
    word = '';
  };
  const flushRun = () => {
    if (cjkRun.length === 1) tokens.push(cjkRun[0]);
    for (let i = 0; i + 1 < cjkRun.length; i++) tokens.push(cjkRun[i] + cjkRun[i + 1]);
    cjkRun = [];
  };
  for (const ch of normalized) {
    if (isCjkChar(ch)) {
      flushWord();
      cjkRun.push(ch);
    } else if (/[\p{L}\p{N}]/u.test(ch)) {
      flushRun();
      word += ch;
    } else {
      flushWord();
      flushRun();
    }
  }
  flushWord();
  flushRun();
  return tokens;
}

/** Dice coefficient of two token multisets. */
export function diceSimilarity(a: string[], b: string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const t of a) counts.set(t, (counts.get(t) ?? 0) + 1);
  let shared = 0;
  for (const t of b) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(t, n - 1);
    }
  }
  return (2 * shared) / (a.length + b.length);
}

export function faqSimilarity(question: string, phrasing: string): number {
  return diceSimilarity(similarityTokens(question), similarityTokens(phrasing));
}
