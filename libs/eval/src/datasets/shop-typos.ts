/**
 * A misspelt copy of a shop set's customer paraphrases, for measuring typo tolerance: in each
 * paraphrase one word of five or more Latin letters gets one typing error (two letters swapped, one
 * dropped, doubled or replaced), never its first letter, drawn from a fixed seed so every run asks the
 * same questions. Paraphrases without such a word (most Chinese ones) stay as written; the FAQ entries,
 * out-of-scope and span questions are the set's own.
 */
import { SeededRandom } from '@wendao/random';
import type { ShopSet } from './shop-set';

/** The seed of the copy the docs' figures were measured on. */
export const SHOP_TYPO_SEED = 20261207;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** `word` with one typing error at a position after its first letter. */
export function misspell(word: string, random: SeededRandom): string {
  const pick = (n: number) => Math.floor(random.next() * n);
  for (;;) {
    const at = 1 + pick(word.length - 1);
    const kind = pick(4);
    let out: string;
    if (kind === 0 && at < word.length - 1)
      out = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
    else if (kind === 1) out = word.slice(0, at) + word.slice(at + 1);
    else if (kind === 2) out = word.slice(0, at) + word[at] + word.slice(at);
    else {
      const lower = LETTERS[pick(LETTERS.length)];
      const letter = word[at] === word[at].toUpperCase() ? lower.toUpperCase() : lower;
      out = word.slice(0, at) + letter + word.slice(at + 1);
    }
    if (out !== word) return out;
  }
}

/** The set with one word of each paraphrase misspelt (see the module header). */
export function withTypos(set: ShopSet, seed = SHOP_TYPO_SEED): ShopSet {
  const random = new SeededRandom(seed);
  const paraphrases = set.paraphrases.map((p) => {
    const words = [...p.question.matchAll(/(?<![\p{L}\p{N}'’])[A-Za-z]{5,}(?![\p{L}\p{N}])/gu)];
    if (!words.length) return p;
    const word = words[Math.floor(random.next() * words.length)];
    const start = word.index!;
    const question =
      p.question.slice(0, start) + misspell(word[0], random) + p.question.slice(start + word[0].length);
    return { ...p, question };
  });
  return { ...set, paraphrases };
}
