import { describe, expect, it } from 'vitest';
import { latencyAxisLabel, latencyAxisUnit } from './latency-axis';

describe('latencyAxisLabel', () => {
  it('keeps milliseconds on a chart under 10 s', () => {
    const unit = latencyAxisUnit([120, null, 9999]);
    expect(unit).toBe('ms');
    expect(latencyAxisLabel(0, 'en', unit)).toBe('0 ms');
    expect(latencyAxisLabel(250, 'zh', unit)).toBe('250 ms');
    expect(latencyAxisLabel(5000, 'en', unit)).toBe('5,000 ms');
    expect(latencyAxisLabel(10_000, 'zh', unit)).toBe('10,000 ms');
  });

  it('says seconds on a chart that reaches 10 s, in either language (a slow KB\'s axis read "30,000 ms")', () => {
    const unit = latencyAxisUnit([800, null, 30_000]);
    expect(unit).toBe('s');
    expect(latencyAxisLabel(30_000, 'en', unit)).toBe('30 s');
    expect(latencyAxisLabel(30_000, 'zh', unit)).toBe('30 秒');
    expect(latencyAxisLabel(12_500, 'en', unit)).toBe('12.5 s');
    expect(latencyAxisLabel(125_000, 'zh', unit)).toBe('125 秒');
  });

  it('uses one unit along the whole axis: the ticks under 10 s of a chart that crosses it are seconds too', () => {
    const unit = latencyAxisUnit([4000, 15_000]);
    expect([0, 5000, 10_000, 15_000].map((v) => latencyAxisLabel(v, 'en', unit))).toEqual([
      '0 s',
      '5 s',
      '10 s',
      '15 s',
    ]);
  });

  it('has no unit to choose without answers', () => {
    expect(latencyAxisUnit([null, null])).toBe('ms');
    expect(latencyAxisUnit([])).toBe('ms');
  });
});
