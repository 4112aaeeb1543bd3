/**
 * CMRC 2018 answer scoring (also used for DRCD), a port of cmrc2018_evaluate.py: mixed segmentation
 * (each CJK character and listed punctuation mark is a token, other runs are word-tokenised),
 * F1 from the longest common contiguous token run, EM after punctuation removal; max over golds.
 */
import type { AnswerScore } from './squad-answer-metric';

// The official list. It also holds '……', a two-character entry that a per-character test never
// matches, so a lone '…' is kept as text exactly as the Python script does.
const CMRC_PUNCTUATION = new Set([
  '-', ':', '_', '*', '^', '/', '\\', '~', '`', '+', '=',
  '，', '。', '：', '？', '！', '“', '”', '；', '’', '《', '》', '·', '、',
  '「', '」', '（', '）', '－', '～', '『', '』',
]); // prettier-ignore

function isCmrcCjk(ch: string): boolean {
  const c = ch.codePointAt(0)!;
  return c >= 0x4e00 && c <= 0x9fa5;
}

/**
 * Approximates NLTK's word_tokenize (unavailable in TypeScript) on the non-CJK runs: numbers with
 * inner separators stay whole (3.5, 1,000), English clitics split off (do n't, it 's), and every
 * other non-space symbol is its own token. NLTK differs on rarer cases (quotes become `` '',
 * abbreviations keep their period); those only matter for answers that contain them.
 */
export function wordTokenize(text: string): string[] {
  const out: string[] = [];
  const pattern = /\p{N}+(?:[.,:]\p{N}+)*|[\p{L}\p{M}\p{N}_]+(?:'[\p{L}]+)?|\S/gu;
  for (const match of text.matchAll(pattern)) {
    const token = match[0];
    const clitic = /^([\p{L}\p{M}\p{N}_]+?)(n't|'s|'re|'ve|'ll|'d|'m)$/iu.exec(token);
    if (clitic) out.push(clitic[1], clitic[2]);
    else out.push(token);
  }
  return out;
}

/** The token sequence CMRC scoring compares; `removePunctuation` drops the listed marks first. */
export function cmrcSegment(text: string, removePunctuation = false): string[] {
  const out: string[] = [];
  let run = '';
  for (const ch of text.toLowerCase().trim()) {
    const punctuation = CMRC_PUNCTUATION.has(ch);
    if (removePunctuation && punctuation) continue;
    if (isCmrcCjk(ch) || punctuation) {
      if (run) out.push(...wordTokenize(run));
      run = '';
      out.push(ch);
    } else run += ch;
  }
  if (run) out.push(...wordTokenize(run));
  return out;
}

/** Lower-cased, trimmed text with the listed punctuation marks removed: the EM comparison form. */
export function cmrcStripPunctuation(text: string): string {
  let out = '';
  for (const ch of text.toLowerCase().trim()) if (!CMRC_PUNCTUATION.has(ch)) out += ch;
  return out;
}

/** Length of the longest common contiguous run of tokens (dynamic programming, O(n*m)). */
export function longestCommonRun(a: readonly string[], b: readonly string[]): number {
  let best = 0;
  let previous = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      if (a[i - 1] === b[j - 1]) {
        current[j] = previous[j - 1] + 1;
        if (current[j] > best) best = current[j];
      }
    }
    previous = current;
  }
  return best;
}

/** EM and F1 (both 0..1) of one prediction against its gold answers, max over golds. */
export function cmrcAnswerScore(prediction: string, golds: readonly string[]): AnswerScore {
  if (golds.length === 0) throw new Error('cmrcAnswerScore: a question needs at least one gold answer');
  const predSegments = cmrcSegment(prediction, true);
  const predStripped = cmrcStripPunctuation(prediction);
  let exactMatch = 0;
  let f1 = 0;
  for (const gold of golds) {
    if (cmrcStripPunctuation(gold) === predStripped) exactMatch = 1;
    const goldSegments = cmrcSegment(gold, true);
    const common = longestCommonRun(goldSegments, predSegments);
    if (common === 0) continue;
    const precision = common / predSegments.length;
    const recall = common / goldSegments.length;
    f1 = Math.max(f1, (2 * precision * recall) / (precision + recall));
  }
  return { exactMatch, f1 };
}
