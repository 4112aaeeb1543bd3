import { describe, expect, it } from 'vitest';
import { SeededRandom } from './seeded-random';

describe('SeededRandom', () => {
  it('draws the recorded mulberry32 sequence, so seeded samples, shuffles and random-weight models stay as recorded', () => {
    const a = new SeededRandom(7);
    expect([a.next(), a.next(), a.next()]).toEqual([
      0.011704753153026104, 0.06195825757458806, 0.97690763277933,
    ]);
    const b = new SeededRandom(20251125);
    expect([b.next(), b.next(), b.next()]).toEqual([
      0.5594701101072133, 0.1444733594544232, 0.03937693010084331,
    ]);
  });

  it('draws normals in Box-Muller pairs from the same sequence', () => {
    const random = new SeededRandom(7);
    expect([random.normal(), random.normal(), random.normal(0.5, 2)]).toEqual([
      0.14197043782155663, 0.058240714748711335, -1.2285060497458722,
    ]);
  });

  it('reads a seed as its 32 low bits and refuses one that is not a finite number', () => {
    expect(new SeededRandom(-5).next()).toBe(new SeededRandom(2 ** 32 - 5).next());
    expect(() => new SeededRandom(Number.NaN)).toThrow('seed must be a finite number');
  });
});
