import { describe, expect, it } from 'vitest';
import { averageRanks, pearson, spearman } from './spearman';

describe('averageRanks', () => {
  it('gives tied values their average rank', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([3, 1, 2])).toEqual([3, 1, 2]);
  });
});

describe('spearman', () => {
  it('is 1 for any monotone relation and -1 for a reversed one', () => {
    expect(spearman([1, 2, 3, 4], [1, 4, 9, 100])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });

  it('matches a hand computation with ties (scipy gives 0.8207826816681233)', () => {
    // y ranks 1, 2, 3.5, 5, 3.5: sxy = 8, sxx = 10, syy = 9.5 -> 8 / sqrt(95)
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
  });

  it('rejects mismatched lengths and constant input', () => {
    expect(() => spearman([1, 2], [1])).toThrow(/lengths differ/);
    expect(() => pearson([1, 1, 1], [1, 2, 3])).toThrow(/constant/);
  });
});
