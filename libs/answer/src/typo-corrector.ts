/**
 * Typo tolerance for English words in lexical matching: the English words a KB's FAQ entries use (kept
 * current as entries are added, edited and removed) and, for a question word the KB does not know, the
 * KB word within a small Damerau-Levenshtein distance it was probably meant as ("lnog" -> "long",
 * "dilivery" -> "delivery"). Lookups go through mnemonist's SymSpell (symmetric deletes), so a question
 * costs a few hash lookups per unknown word whatever the vocabulary's size.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SymSpell } from 'mnemonist';
import { toHalfWidth } from '@wendao/text';

/**
 * Words shorter than this are never corrected, nor corrected into (but by undoubling a letter): too
 * many short words are a letter apart.
 */
const MIN_LENGTH = 4;
/** From this length on a word may be two edits from the KB's word; shorter ones one. */
const TWO_EDITS_FROM = 8;
/** The most edits any word may be corrected by (SymSpell's index depth). */
const MAX_EDITS = 2;

/** A question word taken for a KB word. */
export interface TypoCorrection {
  from: string;
  to: string;
  distance: number;
}

/**
 * The English words of a text as corrections see them: lower-case runs of Latin letters (not the part
 * of a contraction, "doesn't").
 */
const WORD = /(?<![a-z0-9'’])[a-z]+(?![a-z0-9'’])/g;

let dictionary: Set<string> | undefined;

/**
 * Whether a word is English as spelt (sindresorhus' word-list, 274k words): such a word is what the
 * customer meant, not a typo of a KB word. Without this check the shop sets' clean paraphrases had
 * "last" read as "least", "says" as "days", "stuff" as "staff" (en-dev answered correctly 55.3 ->
 * 53.5 %, wrong 4.4 -> 6.1). Loaded on first use (~20 MB).
 */
export function englishWord(word: string): boolean {
  if (!dictionary) {
    // word-list is an ES module that exports the path of its words.txt: read the file beside it.
    const file = join(dirname(require.resolve('word-list')), 'words.txt');
    dictionary = new Set(readFileSync(file, 'utf8').split('\n'));
  }
  return dictionary.has(word);
}

/** The question as `KbVocabulary.correct` writes it, with only these of its corrections made. */
export function withCorrections(question: string, corrections: TypoCorrection[]): string {
  const to = new Map(corrections.map((c) => [c.from, c.to]));
  return toHalfWidth(question.normalize('NFKC'))
    .toLowerCase()
    .replace(WORD, (word) => to.get(word) ?? word);
}

export class KbVocabulary {
  /** Each word with the number of entries using it. */
  private readonly counts = new Map<string, number>();
  private spell = new SymSpell({ maxDistance: MAX_EDITS, verbosity: 2 });
  /** Words in `spell`, live or not (SymSpell cannot remove one; a lookup skips words no entry uses). */
  private readonly spelt = new Set<string>();

  /** The distinct English words of an entry's texts, as `add` and `remove` take them. */
  static wordsOf(texts: string[]): Set<string> {
    const words = new Set<string>();
    for (const text of texts)
      for (const [word] of toHalfWidth(text.normalize('NFKC')).toLowerCase().matchAll(WORD)) words.add(word);
    return words;
  }

  has(word: string): boolean {
    return this.counts.has(word);
  }

  add(words: Iterable<string>): void {
    for (const word of words) {
      this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
      if (!this.spelt.has(word)) {
        this.spelt.add(word);
        this.spell.add(word);
      }
    }
  }

  remove(words: Iterable<string>): void {
    for (const word of words) {
      const n = (this.counts.get(word) ?? 0) - 1;
      if (n > 0) this.counts.set(word, n);
      else this.counts.delete(word);
    }
    // Words no entry uses any more cost memory and lookups: start afresh once they outnumber the rest.
    if (this.spelt.size > 2 * this.counts.size + 1000) {
      this.spell = new SymSpell({ maxDistance: MAX_EDITS, verbosity: 2 });
      this.spelt.clear();
      for (const word of this.counts.keys()) {
        this.spelt.add(word);
        this.spell.add(word);
      }
    }
  }

  /**
   * The question with its unknown English words replaced by the KB words they are within reach of
   * with the same first letter (one edit for 4-7 letters, two from 8; never digits or English words
   * as spelt), and what was replaced; null when nothing was. `known` says whether the KB's matching
   * knows a word in another way (its stem is an entry's term, a synonym group has it, a stopword);
   * `stopword` whether matching drops a word.
   *
   * Of the KB words in reach, the fewest edits away wins; on a tie (SymSpell and Norvig's corrector
   * take the commonest word, which in a KB's own words is a function word: "thre" was read as "the"):
   * - a word matching weighs before a stopword: reading "tehre" as "there" only drops it from
   *   matching, which is right when nothing else is near, but "thre" is "three" where the KB says
   *   "three";
   * - never a three-letter word but by undoubling a letter ("feee" -> "fee"): those a four-letter
   *   typo is otherwise an edit from are mostly function words ("yers" was read as "yes", meant
   *   "years"; "noth" as "not", meant "north");
   * - a slip of the fingers (two neighbouring letters swapped, a letter doubled) before any other
   *   edit: "theer" is "there" swapped rather than "their" with a letter replaced;
   * - then the word more of the KB's entries use, then the alphabet.
   */
  correct(
    question: string,
    known: (word: string) => boolean,
    stopword: (word: string) => boolean = () => false,
  ): { text: string; corrections: TypoCorrection[] } | null {
    if (this.counts.size === 0) return null;
    const corrections: TypoCorrection[] = [];
    const text = toHalfWidth(question.normalize('NFKC'))
      .toLowerCase()
      .replace(WORD, (word) => {
        if (word.length < MIN_LENGTH || this.counts.has(word) || known(word) || englishWord(word))
          return word;
        const reach = word.length >= TWO_EDITS_FROM ? 2 : 1;
        let best: { term: string; distance: number; rank: number[] } | undefined;
        for (const match of this.spell.search(word)) {
          const count = this.counts.get(match.term);
          // The first letter is taken as typed (typists rarely miss it): "iphone" is not "phone".
          if (
            !count ||
            match.distance > reach ||
            match.term[0] !== word[0] ||
            (match.term.length < MIN_LENGTH && !doubled(word, match.term))
          )
            continue;
          const rank = [match.distance, stopword(match.term) ? 1 : 0, slip(word, match.term) ? 0 : 1, -count];
          const order = best ? compareRanks(rank, best.rank) : -1;
          if (order < 0 || (order === 0 && match.term < best!.term))
            best = { term: match.term, distance: match.distance, rank };
        }
        if (!best) return word;
        corrections.push({ from: word, to: best.term, distance: best.distance });
        return best.term;
      });
    return corrections.length ? { text, corrections } : null;
  }
}

/** Orders two candidates' ranks: the lower first, element by element. */
function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** Whether `typed` is `word` with one of its letters doubled ("feee" for "fee"). */
function doubled(typed: string, word: string): boolean {
  if (typed.length !== word.length + 1) return false;
  for (let i = 1; i < typed.length; i++)
    if (typed[i] === typed[i - 1] && typed.slice(0, i) + typed.slice(i + 1) === word) return true;
  return false;
}

/** Whether `typed` is `word` with two neighbouring letters swapped or one letter doubled. */
function slip(typed: string, word: string): boolean {
  if (doubled(typed, word)) return true;
  if (typed.length !== word.length) return false;
  let i = 0;
  while (i < typed.length && typed[i] === word[i]) i++;
  return (
    i < typed.length - 1 &&
    typed[i] === word[i + 1] &&
    typed[i + 1] === word[i] &&
    typed.slice(i + 2) === word.slice(i + 2)
  );
}
