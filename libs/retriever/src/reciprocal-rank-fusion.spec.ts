import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './reciprocal-rank-fusion';

const list = (...ids: number[]) => ids.map((id, i) => ({ id, score: 100 - i }));

describe('reciprocalRankFusion', () => {
  it('matches a hand-computed example (k = 60)', () => {
    const fused = reciprocalRankFusion([{ hits: list(1, 2, 3) }, { hits: list(3, 1, 4) }]);
    // 1: 1/61 + 1/62, 3: 1/63 + 1/61, 2: 1/62, 4: 1/63
    expect(fused).toEqual([
      { id: 1, score: expect.closeTo(1 / 61 + 1 / 62, 12), ranks: [1, 2] },
      { id: 3, score: expect.closeTo(1 / 63 + 1 / 61, 12), ranks: [3, 1] },
      { id: 2, score: expect.closeTo(1 / 62, 12), ranks: [2, undefined] },
      { id: 4, score: expect.closeTo(1 / 63, 12), ranks: [undefined, 3] },
    ]);
  });

  it('uses only ranks, not the lists’ score scales', () => {
    const tiny = [
      { id: 1, score: 0.002 },
      { id: 2, score: 0.001 },
    ];
    const huge = [
      { id: 2, score: 900 },
      { id: 1, score: 800 },
    ];
    const fused = reciprocalRankFusion([{ hits: tiny }, { hits: huge }]);
    expect(fused[0].score).toBeCloseTo(fused[1].score, 12);
  });

  it('lets a weight change the winner', () => {
    // With the second list weighted 2: 3 -> 1/63 + 2/61 = 0.048659, 1 -> 1/61 + 2/62 = 0.048651.
    const fused = reciprocalRankFusion([{ hits: list(1, 2, 3) }, { hits: list(3, 1, 4), weight: 2 }]);
    expect(fused.map((h) => h.id)).toEqual([3, 1, 4, 2]);
    expect(fused[0].score).toBeCloseTo(1 / 63 + 2 / 61, 12);
  });

  it('honours k, limit, ties and duplicate ids', () => {
    expect(reciprocalRankFusion([{ hits: list(5, 6) }], { k: 0 }).map((h) => h.score)).toEqual([1, 0.5]);
    expect(reciprocalRankFusion([{ hits: list(1, 2, 3) }], { limit: 2 }).map((h) => h.id)).toEqual([1, 2]);
    // Equal scores: the better single rank, then the smaller id, wins.
    expect(reciprocalRankFusion([{ hits: list(8) }, { hits: list(7) }]).map((h) => h.id)).toEqual([7, 8]);
    const dup = reciprocalRankFusion([{ hits: list(1, 1, 2) }], { k: 0 });
    expect(dup).toEqual([
      { id: 1, score: 1, ranks: [1] },
      { id: 2, score: 1 / 3, ranks: [3] },
    ]);
  });

  it('rejects negative k or weights', () => {
    expect(() => reciprocalRankFusion([{ hits: list(1) }], { k: -1 })).toThrow(/k must be >= 0/);
    expect(() => reciprocalRankFusion([{ hits: list(1), weight: -1 }])).toThrow(/weight of list 0/);
  });
});
