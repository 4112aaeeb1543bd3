import { describe, expect, it } from 'vitest';
import { calibrationDelay } from './kb-calibration.service';

describe('calibrationDelay', () => {
  it('debounces the first calibration of a KB by 300 ms', () => {
    expect(calibrationDelay({}, 1_000)).toBe(300);
  });

  it('spaces the next calibration by four times the last one, counted from its end', () => {
    // A 1.6 s calibration (1,000-entry KB) that ended 100 ms ago: the next starts 6.3 s from now.
    expect(calibrationDelay({ lastEnded: 10_000, lastMillis: 1_600 }, 10_100)).toBe(6_300);
  });

  it('never waits less than the debounce, and not at all longer once the spacing has passed', () => {
    expect(calibrationDelay({ lastEnded: 10_000, lastMillis: 20 }, 10_010)).toBe(300);
    expect(calibrationDelay({ lastEnded: 10_000, lastMillis: 1_600 }, 60_000)).toBe(300);
  });
});
