/**
 * Narrows an English sentence to the phrase a wh-question most likely asks for: the run of words
 * that the question does not already contain, closest to the words it does ("Which team won
 * Super Bowl 50?" over "The Denver Broncos won Super Bowl 50." gives "The Denver Broncos").
 */
import { EN_STOP, stem } from './question-terms';

export interface ChunkSpan {
  start: number;
  end: number;
}

// Questions that ask for a name, place, time or number. "What is X?" and "what happens if ..."
// ask for a description or a procedure, which the whole sentence answers better than any phrase.
const WH_START =
  /^\s*(?:which|who|whom|whose|where|when|how\s+many|how\s+much|name|what(?!\s+(?:is|are|was|were|do|does|did|happens|happened|if|should|shall|can|could|would|will|must|about)\b))\b/i;
// "Where can I find ...", "which form should I use": the asker wants instructions, not a phrase.
const ASKS_PROCEDURE = /\b(?:can|could|do|should|shall|must)\s+(?:i|we)\b/i;
// Punctuation that ends a phrase (not the comma: lists such as "Visa, Mastercard and PayPal" are
// one answer); a question word also ends one.
const BREAK = /^[;:()"“”.!?]$/;
const MAX_WORDS = 8;
const NAMED_BONUS = 1.0;

interface Token {
  text: string;
  start: number;
  end: number;
  inQuestion: boolean;
  stop: boolean;
  isBreak: boolean;
}

const isNamed = (t: Token) => /^[A-Z0-9]/.test(t.text);
const isConnector = (t: Token) =>
  t.text === ',' || t.text === '&' || /^(?:and|or|of|de|von|van|the)$/i.test(t.text);

/** The longest run of names/numbers (with "and", "of", commas between them) inside [from, to), if any. */
function namedRun(tokens: Token[], from: number, to: number): [number, number] | null {
  let best: [number, number] | null = null;
  for (let i = from; i < to; i++) {
    if (!isNamed(tokens[i]) || (i === 0 && !/^[0-9]/.test(tokens[i].text))) continue;
    let j = i + 1;
    let end = j;
    while (j < to && (isNamed(tokens[j]) || isConnector(tokens[j]))) {
      j++;
      if (isNamed(tokens[j - 1])) end = j;
    }
    if (!best || end - i > best[1] - best[0]) best = [i, end];
    i = j - 1;
  }
  return best;
}

export class EnglishChunkFinder {
  static find(question: string, sentence: string): ChunkSpan | null {
    if (!WH_START.test(question) || ASKS_PROCEDURE.test(question)) return null;
    const questionWords = new Set<string>();
    for (const m of question.toLowerCase().matchAll(/[a-z0-9]+/g))
      if (!EN_STOP.has(m[0])) questionWords.add(stem(m[0]));
    const tokens: Token[] = [];
    for (const m of sentence.matchAll(/[A-Za-z0-9][A-Za-z0-9'’.-]*[A-Za-z0-9]|[A-Za-z0-9]|[^\sA-Za-z0-9]/g)) {
      const lower = m[0].toLowerCase();
      tokens.push({
        text: m[0],
        start: m.index!,
        end: m.index! + m[0].length,
        inQuestion: questionWords.has(stem(lower)),
        stop: EN_STOP.has(lower),
        isBreak: BREAK.test(m[0]),
      });
    }
    const anchors = tokens.map((t, i) => (t.inQuestion ? i : -1)).filter((i) => i >= 0);
    if (anchors.length === 0) return null;

    let best: { from: number; to: number; score: number } | null = null;
    for (let i = 0; i < tokens.length;) {
      if (tokens[i].inQuestion || tokens[i].isBreak) {
        i++;
        continue;
      }
      let j = i;
      while (j < tokens.length && !tokens[j].inQuestion && !tokens[j].isBreak) j++;
      // [i, j) is a run of new words; drop stop words at its edges
      let from = i;
      let to = j;
      const edge = (t: Token) => t.stop || t.text === ',';
      while (from < to && edge(tokens[from])) from++;
      while (to > from && edge(tokens[to - 1])) to--;
      if (to > from) {
        const gap = Math.min(...anchors.map((a) => (a < from ? from - a : a - to + 1)));
        if (to - from > MAX_WORDS) {
          // keep the words nearest the question's words
          const anchorBefore = anchors.some((a) => a < from);
          if (anchorBefore) to = from + MAX_WORDS;
          else from = to - MAX_WORDS;
        }
        // Names and numbers are what wh-questions ask for most often.
        const named = tokens.slice(from, to).some((t, k) => /^[A-Z0-9]/.test(t.text) && from + k > 0);
        const score = 1 / gap - 0.02 * (to - from) + (named ? NAMED_BONUS : 0);
        if (!best || score > best.score) best = { from, to, score };
      }
      i = j;
    }
    if (!best) return null;
    const named = namedRun(tokens, best.from, best.to);
    const [from, to] = named ?? [best.from, best.to];
    return { start: tokens[from].start, end: tokens[to - 1].end };
  }
}
