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
/** `WORD` in a text as written, before lower-casing (to see how a word is capitalised). */
const WRITTEN_WORD = /(?<![a-z0-9'’])[a-z]+(?![a-z0-9'’])/gi;
/** What ends a sentence or opens one (a line break too): a capital after these is not a name's. */
const SENTENCE_OPENERS = '.!?:;…。！？*•';

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

let names: Set<string> | undefined;

/**
 * Whether a word is a name in Hunspell's en_US dictionary (wooorm's dictionary-en, from SCOWL: the
 * 9,900 capitalised entries: places, nationalities, people, brands, days and months), lower-cased,
 * with its plural where the dictionary gives one ("canadians"). `englishWord`'s list is lower-case
 * only, so names were taken for typos: "Ohio" was read as "ohip", "Canadian" as "canada",
 * "Australian" as "australia". Loaded on first use.
 */
export function englishName(word: string): boolean {
  if (!names) {
    const file = join(dirname(require.resolve('dictionary-en')), 'index.dic');
    names = new Set();
    // The first line is the entry count; each entry is "Word/FLAGS", S meaning it takes a plural.
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [stem, flags = ''] = line.trim().split('/');
      if (!/^[A-Z][A-Za-z]*[a-z][A-Za-z]*$/.test(stem)) continue;
      const name = stem.toLowerCase();
      names.add(name);
      if (flags.includes('S')) names.add(plural(name));
    }
  }
  return names.has(word);
}

/** The plural as Hunspell's en_US S flag makes it. */
function plural(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/([sxz]|[cs]h)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

/**
 * Whether each word of a text (as `WRITTEN_WORD` finds them, by offset) is written as a name: in
 * capitals ("VAT", "OHIP"), or with a capital where a sentence does not start ("in Ohio"). Only in a
 * text in lower case bar its names: in one in capitals or in Title Case capitals say nothing.
 */
function writtenAsNames(text: string): Map<number, boolean> {
  const words = [...text.matchAll(WRITTEN_WORD)].map((match) => {
    const word = match[0];
    let before = match.index - 1;
    while (before >= 0 && (text[before] === ' ' || text[before] === '\t')) before--;
    const opens = before < 0 || text[before] === '\n' || SENTENCE_OPENERS.includes(text[before]);
    const capitals = word.length > 1 && word === word.toUpperCase();
    const capital = word[0] !== word[0].toLowerCase();
    return {
      at: match.index,
      opens,
      capitals,
      capital,
      lower: word === word.toLowerCase(),
      length: word.length,
    };
  });
  // In lower case bar its names, a text has a lower-case word of four letters or more where a
  // sentence does not start (a Title Case one at most "from", "with"; the names' share varies: an
  // answer listing stores is half names).
  const cased = words.some((w) => !w.opens && w.lower && w.length >= MIN_LENGTH);
  return new Map(words.map((w) => [w.at, cased && (w.capitals || (w.capital && !w.opens))]));
}

/** The question as `KbVocabulary.correct` writes it, with only these of its corrections made. */
export function withCorrections(question: string, corrections: TypoCorrection[]): string {
  const to = new Map(corrections.map((c) => [c.from, c.to]));
  return toHalfWidth(question.normalize('NFKC'))
    .toLowerCase()
    .replace(WORD, (word) => to.get(word) ?? word);
}

/** What an entry's texts tell typo tolerance (`KbVocabulary.wordsOf`). */
export interface KbWords {
  words: Set<string>;
  names: Set<string>;
  pairs: Set<string>;
}

/** Adds `by` to each key's count, deleting the keys that reach 0. */
function count(counts: Map<string, number>, keys: Iterable<string>, by: number): void {
  for (const key of keys) {
    const n = (counts.get(key) ?? 0) + by;
    if (n > 0) counts.set(key, n);
    else counts.delete(key);
  }
}

/** Whether two words of a text are neighbours: nothing but spaces between them. */
function neighbours(text: string, a: RegExpMatchArray, b: RegExpMatchArray): boolean {
  return /^[ \t]+$/.test(text.slice(a.index! + a[0].length, b.index));
}

export class KbVocabulary {
  /** Each word with the number of entries using it. */
  private readonly counts = new Map<string, number>();
  /** Each word the entries write as a name, with the number of entries doing so. */
  private readonly names = new Map<string, number>();
  /** Each pair of neighbouring words ("match a") the entries write, with the number of entries. */
  private readonly pairs = new Map<string, number>();
  private spell = new SymSpell({ maxDistance: MAX_EDITS, verbosity: 2 });
  /** Words in `spell`, live or not (SymSpell cannot remove one; a lookup skips words no entry uses). */
  private readonly spelt = new Set<string>();

  /**
   * What an entry's texts tell typo tolerance, as `add` and `remove` take it: their distinct English
   * words, those they write as names (`writtenAsNames`: "OHIP", "Trailhead Club", "Apple Pay"; a
   * question word written as a name is read only as one of these) and their pairs of neighbouring
   * words ("match a", to break ties).
   */
  static wordsOf(texts: string[]): KbWords {
    const entry: KbWords = { words: new Set(), names: new Set(), pairs: new Set() };
    for (const text of texts) {
      const written = toHalfWidth(text.normalize('NFKC'));
      const asNames = writtenAsNames(written);
      const tokens = [...written.matchAll(WRITTEN_WORD)];
      tokens.forEach((match, i) => {
        const word = match[0].toLowerCase();
        entry.words.add(word);
        if (asNames.get(match.index)) entry.names.add(word);
        const next = tokens[i + 1];
        if (next && neighbours(written, match, next)) entry.pairs.add(`${word} ${next[0].toLowerCase()}`);
      });
    }
    return entry;
  }

  has(word: string): boolean {
    return this.counts.has(word);
  }

  add(entry: KbWords): void {
    count(this.names, entry.names, 1);
    count(this.pairs, entry.pairs, 1);
    for (const word of entry.words) {
      this.counts.set(word, (this.counts.get(word) ?? 0) + 1);
      if (!this.spelt.has(word)) {
        this.spelt.add(word);
        this.spell.add(word);
      }
    }
  }

  remove(entry: KbWords): void {
    count(this.names, entry.names, -1);
    count(this.pairs, entry.pairs, -1);
    count(this.counts, entry.words, -1);
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
   * - a word that makes a pair of neighbouring words an entry writes: "will you mtch a cheaper
   *   price" is "match" (the KB writes "match a"), though "much" is in more entries;
   * - then the word more of the KB's entries use, then the alphabet.
   *
   * Names are read as written: a word written as one (`writtenAsNames`: "in Ohio", "OHIP") only as a
   * word the KB writes as a name; a name of Hunspell's en_US dictionary (`englishName`), typed in
   * any case, only as a plain English word an edit away ("oder" -> "order").
   */
  correct(
    question: string,
    known: (word: string) => boolean,
    stopword: (word: string) => boolean = () => false,
  ): { text: string; corrections: TypoCorrection[] } | null {
    if (this.counts.size === 0) return null;
    const corrections: TypoCorrection[] = [];
    const written = toHalfWidth(question.normalize('NFKC'));
    const asNames = writtenAsNames(written);
    // Each word's neighbours as typed (nothing but spaces between), for the pairs the KB writes.
    const tokens = [...written.matchAll(WRITTEN_WORD)];
    const around = new Map<number, { before?: string; after?: string }>();
    tokens.forEach((match, i) => {
      const [prev, next] = [tokens[i - 1], tokens[i + 1]];
      around.set(match.index!, {
        before: prev && neighbours(written, prev, match) ? prev[0].toLowerCase() : undefined,
        after: next && neighbours(written, match, next) ? next[0].toLowerCase() : undefined,
      });
    });
    const paired = (at: number, term: string): boolean => {
      const { before, after } = around.get(at) ?? {};
      return (
        (before !== undefined && this.pairs.has(`${before} ${term}`)) ||
        (after !== undefined && this.pairs.has(`${term} ${after}`))
      );
    };
    const text = written
      .replace(WRITTEN_WORD, (typed, at: number) => {
        const word = typed.toLowerCase();
        if (word.length < MIN_LENGTH || this.counts.has(word) || known(word) || englishWord(word))
          return word;
        // A word written as a name is one the customer knows how to spell ("in Ohio", "OHIP"): read
        // only as a name the KB writes ("in Mnotreal" -> "montreal", "on Shturdays" -> "saturday").
        const name = asNames.get(at) === true;
        // A name of the dictionary, typed in lower case too, is what the customer meant unless it
        // is an edit from a plain English word, the likelier slip ("oder" for "order",
        // "peron" for "person"); never read as a KB term that is no such word ("ohio" is not "ohip",
        // "canadian" not "canada", "australian" not "australia").
        const listed = englishName(word);
        const reach = word.length >= TWO_EDITS_FROM ? 2 : 1;
        let best: { term: string; distance: number; rank: number[] } | undefined;
        for (const match of this.spell.search(word)) {
          const count = this.counts.get(match.term);
          // The first letter is taken as typed (typists rarely miss it): "iphone" is not "phone".
          if (
            !count ||
            match.distance > reach ||
            match.term[0] !== word[0] ||
            (name && !this.names.has(match.term)) ||
            (listed && (name || match.distance > 1 || !englishWord(match.term) || englishName(match.term))) ||
            (match.term.length < MIN_LENGTH && !doubled(word, match.term))
          )
            continue;
          const rank = [
            match.distance,
            stopword(match.term) ? 1 : 0,
            slip(word, match.term) ? 0 : 1,
            paired(at, match.term) ? 0 : 1,
            -count,
          ];
          const order = best ? compareRanks(rank, best.rank) : -1;
          if (order < 0 || (order === 0 && match.term < best!.term))
            best = { term: match.term, distance: match.distance, rank };
        }
        if (!best) return word;
        corrections.push({ from: word, to: best.term, distance: best.distance });
        return best.term;
      })
      .toLowerCase();
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
