import { describe, expect, it } from 'vitest';
import { latencyAxisLabel } from './latency-axis';

describe('latencyAxisLabel', () => {
  it('keeps milliseconds below 10 s', () => {
    expect(latencyAxisLabel(0, 'en')).toBe('0 ms');
    expect(latencyAxisLabel(250, 'zh')).toBe('250 ms');
    expect(latencyAxisLabel(5000, 'en')).toBe('5,000 ms');
    expect(latencyAxisLabel(9999, 'zh')).toBe('9,999 ms');
  });

  it('says seconds from 10,000 ms, in either language (a slow KB\'s axis read "30,000 ms")', () => {
    expect(latencyAxisLabel(10_000, 'en')).toBe('10 s');
    expect(latencyAxisLabel(30_000, 'en')).toBe('30 s');
    expect(latencyAxisLabel(30_000, 'zh')).toBe('30 秒');
    expect(latencyAxisLabel(12_500, 'en')).toBe('12.5 s');
    expect(latencyAxisLabel(125_000, 'zh')).toBe('125 秒');
  });
});
