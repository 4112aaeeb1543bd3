import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './bench-args';

describe('parseBenchArgs', () => {
  it('reads --quick, a thread list, --models-dir and --out', () => {
    const args = parseBenchArgs(['--quick', '--threads', '1,2', '--models-dir', '/m', '--out', 'r.json']);
    expect(args).toEqual({ quick: true, threads: 1, threadCounts: [1, 2], modelsDir: '/m', out: 'r.json' });
  });

  it('uses the bench defaults when flags are absent', () => {
    const args = parseBenchArgs([], { out: 'bench/results/x.json', threadCounts: [2] });
    expect(args).toMatchObject({ quick: false, threads: 2, threadCounts: [2], out: 'bench/results/x.json' });
  });

  it('rejects unknown flags, missing values and bad thread counts', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown flag --fast/);
    expect(() => parseBenchArgs(['--out'])).toThrow(/--out needs a value/);
    expect(() => parseBenchArgs(['--threads', '0'])).toThrow(/positive integers/);
  });
});
