/**
 * A deliberately light English stemmer for BM25 (not Porter): it folds plurals, -ing and -ed onto one
 * stem so "returns / returning / returned" and "charge / charges / charging" match each other, and
 * leaves everything else alone. Both index and query go through it, so only consistency matters.
 */

const VOWEL = /[aeiouy]/;
// Doubled final consonants that are part of the word ("fill", "address", "buzz") are kept.
const KEEP_DOUBLE = new Set(['ll', 'ss', 'zz']);

function hasVowel(stem: string): boolean {
  return VOWEL.test(stem);
}

function undouble(stem: string): string {
  const tail = stem.slice(-2);
  if (tail[0] === tail[1] && !VOWEL.test(tail[0]) && !KEEP_DOUBLE.has(tail)) return stem.slice(0, -1);
  return stem;
}

/**
 * Rules, first match wins: -ies/-ied -> y; -sses -> ss; -xes/-ches/-shes/-zes -> drop "es"; -s (not
 * -ss, -us, -is) -> drop; -ing/-ed -> drop when a vowel-bearing stem of 3+ letters remains, then undo a
 * doubled consonant (shipping -> ship); finally a trailing "e" is dropped on words over four letters
 * (charge -> charg, the same stem charging gives). Words of three letters or fewer are returned as is.
 */
export function stemEnglish(word: string): string {
  let w = word;
  if (w.length <= 3 || !/^[a-z]+$/.test(w)) return w;
  if (/(ies|ied)$/.test(w) && w.length > 4) return w.slice(0, -3) + 'y';
  if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (/(x|ch|sh|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  else if (w.endsWith('ing') && w.length - 3 >= 3 && hasVowel(w.slice(0, -3))) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length - 2 >= 3 && hasVowel(w.slice(0, -2))) w = undouble(w.slice(0, -2));
  if (w.length > 4 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}
