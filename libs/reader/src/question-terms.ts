/**
 * The content terms of a question and how much of them a piece of text covers: Chinese by character
 * bigrams (no segmenter needed, robust to 退货期限 vs 退货的期限), English by lightly stemmed words.
 * This is the lexical reader's notion of "this sentence is about the question".
 */
import { isCjkChar, toHalfWidth } from '@wendao/text';
import { foldTraditional } from './traditional-chars';

/** Question words and particles that say nothing about the topic; removed before terms are taken. */
const ZH_STOP_PHRASES =
  /请问|多少钱|多长时间|多少|多久|多长|怎么样|怎么|怎样|如何|什么|为什么|哪里|哪儿|哪个|哪些|哪天|哪|几点|几个|几|有没有|是不是|能不能|可不可以|可以|能否|是否|需要|我们|你们|我的|你的|您的|我|你|您|的|吗|呢|吧|啊|呀|么|了|是|要|请|一下|个/g;

export const EN_STOP = new Set(
  (
    'a an the do does did i me my we our you your he she it its they them their to is are was were be been ' +
    'am what how when where which who whom why whose can could will would shall should may might must have has had ' +
    'of for in on at by with from about as into than then there this that these those and or but if not no so ' +
    'long much many any some get got please tell know there here us up out just also very'
  ).split(' '),
);

/** One occurrence of a question term in the covered text, as UTF-16 offsets. */
export interface TermHit {
  start: number;
  end: number;
  /** The question term found (a CJK bigram or character, or a stemmed word): hits of one term count once. */
  term: string;
}

export interface TermCoverage {
  /** Share of the question's content (weighted: a CJK character 1, an English word 2) found in the text. */
  fraction: number;
  /** Where question terms occur in the text; anchors for choosing among several candidate spans. */
  hits: TermHit[];
}

/** A light English stemmer: enough to match return/returns/returned, delivery/deliveries. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('es') && /(?:ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  // shipping -> shipp -> ship, so it meets "ship"
  if (w.length > 3 && /([b-df-hj-np-tv-z])\1$/.test(w) && !/(?:ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** Half-width, ASCII lower-cased, Traditional folded: same length as the input, so offsets carry over. */
export function foldText(text: string): string {
  return foldTraditional(toHalfWidth(text)).replace(/[A-Z]/g, (c) => c.toLowerCase());
}

const EN_WORD_WEIGHT = 2;

export class QuestionTerms {
  private constructor(
    /** Runs of content CJK characters. */
    readonly cjkRuns: string[],
    /** Stemmed English words and numbers. */
    readonly words: string[],
  ) {}

  static from(question: string): QuestionTerms {
    const folded = foldText(question.normalize('NFKC'));
    const runs: string[] = [];
    const words: string[] = [];
    let run = '';
    const flush = () => {
      if (run) runs.push(run);
      run = '';
    };
    // Stop phrases become separators so no bigram spans a removed word.
    const stripped = folded.replace(ZH_STOP_PHRASES, ' ');
    for (const ch of stripped) {
      if (isCjkChar(ch)) run += ch;
      else flush();
    }
    flush();
    for (const m of stripped.matchAll(/[a-z0-9]+/g)) {
      const w = m[0];
      if (!EN_STOP.has(w)) words.push(stem(w));
    }
    return new QuestionTerms([...new Set(runs)], [...new Set(words)]);
  }

  /** Total weight of the question's content; 0 when the question has no content words at all. */
  get weight(): number {
    return this.cjkRuns.reduce((n, r) => n + r.length, 0) + EN_WORD_WEIGHT * this.words.length;
  }

  /** How much of the question the text covers, and where. */
  coverage(text: string): TermCoverage {
    const total = this.weight;
    if (total === 0) return { fraction: 0, hits: [] };
    const folded = foldText(text);
    const hits: TermHit[] = [];
    let covered = 0;
    const occurrences = (needle: string) => {
      const found: number[] = [];
      for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + 1)) found.push(at);
      return found;
    };
    for (const run of this.cjkRuns) {
      if (run.length === 1) {
        const at = occurrences(run);
        if (at.length) covered++;
        at.forEach((a) => hits.push({ start: a, end: a + 1, term: run }));
        continue;
      }
      const charCovered = new Array<boolean>(run.length).fill(false);
      for (let i = 0; i + 1 < run.length; i++) {
        const bigram = run.slice(i, i + 2);
        const at = occurrences(bigram);
        if (at.length) charCovered[i] = charCovered[i + 1] = true;
        at.forEach((a) => hits.push({ start: a, end: a + 2, term: bigram }));
      }
      covered += charCovered.filter(Boolean).length;
    }
    if (this.words.length) {
      const seen = new Set<string>();
      for (const m of folded.matchAll(/[a-z0-9]+/g)) {
        const w = stem(m[0]);
        if (this.words.includes(w)) {
          seen.add(w);
          hits.push({ start: m.index!, end: m.index! + m[0].length, term: w });
        }
      }
      covered += EN_WORD_WEIGHT * seen.size;
    }
    return { fraction: covered / total, hits };
  }
}
