import { describe, expect, it } from 'vitest';
import { KbVocabulary } from './typo-corrector';

const vocabulary = (...texts: string[]) => {
  const v = new KbVocabulary();
  v.add(KbVocabulary.wordsOf(texts));
  return v;
};
/** One entry per text. */
const entries = (...texts: string[]) => {
  const v = new KbVocabulary();
  for (const text of texts) v.add(KbVocabulary.wordsOf([text]));
  return v;
};
const unknown = () => false;

describe('KbVocabulary', () => {
  it("reads a customer's unknown English word as the KB word an edit or two away", () => {
    const v = vocabulary('How long does delivery take?', 'Standard delivery arrives in 3 to 5 days.');
    expect(v.correct('how lnog does dilivery take', unknown)).toEqual({
      text: 'how long does delivery take',
      corrections: [
        { from: 'lnog', to: 'long', distance: 1 },
        { from: 'dilivery', to: 'delivery', distance: 1 },
      ],
    });
    // One edit for words of 4-7 letters, two from 8 on.
    expect(v.correct('delivry time', unknown)?.text).toBe('delivery time');
    expect(v.correct('dellivary time', unknown)?.text).toBe('delivery time');
    expect(v.correct('delvry time', unknown)).toBeNull();
    expect(v.correct('lnogg', unknown)).toBeNull();
  });

  it('leaves short words, numbers, English words, other first letters and known words as written', () => {
    const v = vocabulary('Do you ship to the UK?', 'We ship 5000 parcels a day; track one on the phone.');
    expect(v.correct('shp to uk', unknown)).toBeNull(); // under four letters
    expect(v.correct('5001 parcels', unknown)).toBeNull(); // digits
    expect(v.correct('track my ship', unknown)).toBeNull(); // the KB's own words
    expect(v.correct('a truck', unknown)).toBeNull(); // an English word: what the customer meant
    expect(v.correct('iphone cases', unknown)).toBeNull(); // "phone" with an i in front
    expect(v.correct('parcles', unknown)?.text).toBe('parcels');
    expect(v.correct('parcles', (word) => word === 'parcles')).toBeNull(); // the matching knows it
    expect(v.correct("it doesn't", unknown)).toBeNull();
  });

  it('follows the KB as entries are edited and removed', () => {
    const v = new KbVocabulary();
    const old = KbVocabulary.wordsOf(['How long does delivery take?']);
    v.add(old);
    expect(v.correct('dilivery', unknown)?.text).toBe('delivery');
    // The entry now says "shipping": "dilivery" means nothing the KB says any more.
    v.remove(old);
    v.add(KbVocabulary.wordsOf(['How long does shipping take?']));
    expect(v.correct('dilivery', unknown)).toBeNull();
    expect(v.correct('shiping', unknown)?.text).toBe('shipping');
    expect(v.has('delivery')).toBe(false);
  });

  it('breaks a tie between KB words as near by what the customer likely meant, not the commonest', () => {
    // "the" is in every entry; SymSpell's own order (commonest first) read "thre" as "the".
    const v = entries(
      'Is there a fee to return the three items?',
      'Where is the store, and what are their hours?',
      'The fee is $5 a year for the next three years.',
    );
    const stopword = (word: string) => ['the', 'there', 'their', 'is', 'a', 'to'].includes(word);
    // A word matching weighs before a stopword, whatever their counts.
    expect(v.correct('thre items', unknown, stopword)?.corrections).toEqual([
      { from: 'thre', to: 'three', distance: 1 },
    ]);
    // No three-letter word but by undoubling a letter: "yers" is "years", not "yes"; "feee" is "fee".
    const yes = entries('Yes, we do.', 'Yes, in store.', 'For two years.');
    expect(yes.correct('yers', unknown, stopword)?.text).toBe('years');
    expect(v.correct('feee', unknown, stopword)?.text).toBe('fee');
    // Swapped letters before a replaced one: "theer" is "there", not "their".
    expect(v.correct('theer', unknown, stopword)?.text).toBe('there');
    // Only stopwords in reach: read as one (matching drops it, as it drops "there").
    const without = entries('Is there a fee?', 'The fee is $5.', 'The store opens at 9.');
    expect(without.correct('thre', unknown, stopword)?.text).toBe('there');
  });
});
