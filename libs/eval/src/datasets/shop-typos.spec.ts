import { describe, expect, it } from 'vitest';
import { loadShopSet } from './shop-set';
import { withTypos } from './shop-typos';

describe('withTypos', () => {
  it('misspells one word of 5+ letters in each paraphrase, the same way on every run', () => {
    const set = loadShopSet('en-dev');
    const typed = withTypos(set);
    expect(withTypos(set)).toEqual(typed);
    expect(typed.faqs).toBe(set.faqs);
    expect(typed.outOfScope).toBe(set.outOfScope);
    let changed = 0;
    typed.paraphrases.forEach((p, i) => {
      const before = set.paraphrases[i].question.split(' ');
      const after = p.question.split(' ');
      expect(after).toHaveLength(before.length);
      const differing = after.filter((word, j) => word !== before[j]);
      expect(differing.length).toBeLessThanOrEqual(1);
      if (differing.length) changed++;
      const j = after.findIndex((word, k) => word !== before[k]);
      if (j >= 0) {
        expect(after[j][0]).toBe(before[j][0]); // the first letter is kept
        expect(Math.abs(after[j].length - before[j].length)).toBeLessThanOrEqual(1);
      }
    });
    expect(changed).toBeGreaterThan(set.paraphrases.length * 0.9);
    expect(typed.paraphrases[3].question).toBe('How do I send back my oredr?');
  });
});
