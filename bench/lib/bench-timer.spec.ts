import { describe, expect, it } from 'vitest';
import { takeTurns } from './bench-timer';

describe('takeTurns', () => {
  const engines = [{ name: 'a' }, { name: 'b' }, { name: 'c' }];

  async function order(calls: number, block?: number): Promise<{ order: string[]; counts: number[] }> {
    const seen: string[] = [];
    const samples = await takeTurns(engines, calls, async (e, i) => void seen.push(`${e.name}${i}`), {
      block,
    });
    return { order: seen, counts: engines.map((e) => samples.get(e.name)?.length ?? 0) };
  }

  it('alternates call by call, rotating which engine goes first', async () => {
    const { order: seen, counts } = await order(3);
    expect(seen).toEqual(['a0', 'b0', 'c0', 'b1', 'c1', 'a1', 'c2', 'a2', 'b2']);
    expect(counts).toEqual([3, 3, 3]);
  });

  it('runs blocks of consecutive calls per engine, the last block short', async () => {
    const { order: seen, counts } = await order(5, 2);
    expect(seen).toEqual([
      'a0',
      'a1',
      'b0',
      'b1',
      'c0',
      'c1',
      'b2',
      'b3',
      'c2',
      'c3',
      'a2',
      'a3',
      'c4',
      'a4',
      'b4',
    ]);
    expect(counts).toEqual([5, 5, 5]);
  });

  it('refuses a block that is not a positive integer', async () => {
    await expect(order(2, 0)).rejects.toThrow(/block must be a positive integer/);
  });
});
