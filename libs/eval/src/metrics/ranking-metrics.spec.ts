import { describe, expect, it } from 'vitest';
import { firstRelevantRank, rankingMetrics } from './ranking-metrics';

describe('firstRelevantRank', () => {
  it('returns the 1-based rank of the first relevant id, or null', () => {
    expect(firstRelevantRank(['a', 'b', 'c'], new Set(['c', 'b']))).toBe(2);
    expect(firstRelevantRank(['a', 'b'], new Set(['z']))).toBeNull();
  });
});

describe('rankingMetrics', () => {
  it('computes Recall@k and MRR by hand: ranks 1, 3, missing, 2', () => {
    const m = rankingMetrics([1, 3, null, 2], [1, 2, 5]);
    expect(m.n).toBe(4);
    expect(m.recallAt[1]).toBeCloseTo(0.25, 10);
    expect(m.recallAt[2]).toBeCloseTo(0.5, 10);
    expect(m.recallAt[5]).toBeCloseTo(0.75, 10);
    // (1 + 1/3 + 0 + 1/2) / 4 = 11/24
    expect(m.mrr).toBeCloseTo(11 / 24, 10);
  });

  it('refuses an empty query set', () => {
    expect(() => rankingMetrics([])).toThrow(/no queries/);
  });
});
