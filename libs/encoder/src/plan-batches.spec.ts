import { describe, expect, it } from 'vitest';
import { planBatches } from './plan-batches';

const flat = (runs: number[][]) => runs.flat().sort((a, b) => a - b);

describe('planBatches', () => {
  it('keeps equal-length texts in full runs of maxRows', () => {
    const runs = planBatches(Array(10).fill(20), { maxRows: 4, runCostTokens: 16 });
    expect(runs.map((r) => r.length).sort()).toEqual([2, 4, 4]);
    expect(flat(runs)).toEqual([...Array(10).keys()]);
  });

  it('splits short texts from long ones when the padding saved outweighs a run', () => {
    // 8 texts of 10 tokens and 8 of 60: together 16 x 60 = 960 padded tokens, apart 80 + 480.
    const lengths = [60, 10, 60, 10, 60, 10, 60, 10, 60, 10, 60, 10, 60, 10, 60, 10];
    const runs = planBatches(lengths, { maxRows: 32, runCostTokens: 16 });
    expect(runs).toHaveLength(2);
    expect(runs[0].every((i) => lengths[i] === 10)).toBe(true);
    expect(runs[1].every((i) => lengths[i] === 60)).toBe(true);
  });

  it('does not split for a few tokens of padding when runs are expensive', () => {
    const lengths = [12, 13, 14, 15, 16, 17, 18, 19];
    expect(planBatches(lengths, { maxRows: 32, runCostTokens: 16 })).toHaveLength(1);
    // Free runs: every distinct length gets its own.
    expect(planBatches(lengths, { maxRows: 32, runCostTokens: 0 })).toHaveLength(8);
  });

  it('with an infinite run cost gives plain length-sorted chunks of maxRows', () => {
    const lengths = [5, 40, 7, 30, 9];
    expect(planBatches(lengths, { maxRows: 2, runCostTokens: Infinity })).toEqual([[0, 2], [4, 3], [1]]);
  });

  it('never exceeds maxRows and places every index once on mixed FAQ lengths', () => {
    const lengths = Array.from({ length: 100 }, (_, i) => 8 + ((i * 37) % 50));
    const runs = planBatches(lengths, { maxRows: 32, runCostTokens: 16 });
    expect(Math.max(...runs.map((r) => r.length))).toBeLessThanOrEqual(32);
    expect(flat(runs)).toEqual([...Array(100).keys()]);
    const padded = (rs: number[][]) =>
      rs.reduce((sum, r) => sum + r.length * Math.max(...r.map((i) => lengths[i])), 0);
    expect(padded(runs)).toBeLessThan(padded(planBatches(lengths, { maxRows: 32, runCostTokens: Infinity })));
  });

  it('rejects a non-positive maxRows', () => {
    expect(() => planBatches([1], { maxRows: 0, runCostTokens: 16 })).toThrow(/maxRows/);
  });
});
