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

  it('leaves names as written: capitalised in a sentence, in capitals, or a name of the dictionary', () => {
    const v = entries(
      'Do you sell tents? Our tents ship from Montreal.',
      'Is my eye test covered by OHIP?',
      'How do I renew my order?',
      'We ship to Canada and Australia.',
    );
    // Capitalised where no sentence starts: a brand the KB does not know, not a typo of "tents".
    expect(v.correct('Do you sell Tenta tents?', unknown)).toBeNull();
    expect(v.correct('do you sell TENTA tents?', unknown)).toBeNull();
    expect(v.correct('do you sell tenta tents?', unknown)?.text).toBe('do you sell tents tents?');
    // Opening the sentence, or in a question all in capitals or Title Case, a capital says nothing.
    expect(v.correct('Tenta for two?', unknown)?.text).toBe('tents for two?');
    expect(v.correct('DO YOU SELL TENTA TENTS', unknown)?.text).toBe('do you sell tents tents');
    expect(v.correct('Do You Sell Tenta Tents', unknown)?.text).toBe('do you sell tents tents');
    // A name the KB writes is read as meant, within the usual reach.
    expect(v.correct('do you ship from Mnotreal?', unknown)?.text).toBe('do you ship from montreal?');
    // A name of the dictionary (dictionary-en) is meant, typed in lower case too: "ohio" is not
    // "ohip" though the KB writes OHIP, "canadian" not "canada", "australian" not "australia".
    expect(v.correct("I'm in Ohio, is my test covered?", unknown)).toBeNull();
    expect(v.correct("i'm in ohio, is my test covered?", unknown)).toBeNull();
    expect(v.correct('how do i renew my canadian passport', unknown)).toBeNull();
    expect(v.correct('How do I renew my Australian passport?', unknown)).toBeNull();
    // ... unless it is an edit from a plain English word, the likelier slip ("Oder" is a river).
    expect(v.correct('how do i renew my oder', unknown)?.text).toBe('how do i renew my order');
  });

  it('follows the names the KB writes as entries are edited', () => {
    const v = new KbVocabulary();
    const old = KbVocabulary.wordsOf(['Our tents ship from Montreal.']);
    v.add(old);
    expect(v.correct('shipped from Mnotreal?', unknown)?.text).toBe('shipped from montreal?');
    v.remove(old);
    v.add(KbVocabulary.wordsOf(['Our tents ship from the montreal store.']));
    // The KB now writes it in lower case: a capitalised "Mnotreal" is a name it does not write.
    expect(v.correct('shipped from Mnotreal?', unknown)).toBeNull();
    expect(v.correct('shipped from mnotreal?', unknown)?.text).toBe('shipped from montreal?');
  });

  it('breaks a tie towards the word that makes a pair of words the KB writes', () => {
    // "mtch" is an edit from "much" and from "match", neither a slip: "much" is in more entries,
    // but the KB writes "match a", not "much a".
    const v = entries(
      'How much is shipping?',
      'How much are my points worth?',
      'We match a lower advertised price.',
    );
    expect(v.correct('will you mtch a cheaper price', unknown)?.corrections).toEqual([
      { from: 'mtch', to: 'match', distance: 1 },
    ]);
    expect(v.correct('how mtch is shipping', unknown)?.text).toBe('how much is shipping');
    // Only neighbours count (nothing but spaces between): no pair, the commoner word.
    expect(v.correct('mtch, a cheaper price', unknown)?.text).toBe('much, a cheaper price');
  });
});
