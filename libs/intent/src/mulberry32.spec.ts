import { SeededRandom } from '@wendao/models';
import { describe, expect, it } from 'vitest';
import { Mulberry32 } from './mulberry32';

describe('Mulberry32', () => {
  it('draws the same sequence as SeededRandom, so seeded intent models did not change when training moved to a worker', () => {
    for (const seed of [0, 7, 123456789, -5]) {
      const ours = new Mulberry32(seed);
      const theirs = new SeededRandom(seed);
      const a = Array.from({ length: 1000 }, () => ours.next());
      const b = Array.from({ length: 1000 }, () => theirs.next());
      expect(a).toEqual(b);
    }
  });
});
