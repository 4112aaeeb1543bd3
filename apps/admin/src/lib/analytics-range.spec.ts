import { describe, expect, it } from 'vitest';
import {
  analyticsLink,
  earliestFrom,
  lastDays,
  MAX_RANGE_DAYS,
  rangeProblem,
  toBounds,
} from './analytics-range';

describe('rangeProblem', () => {
  it('accepts a range the API answers, up to a leap year long', () => {
    expect(rangeProblem('2026-11-08', '2026-12-07')).toBeNull();
    expect(rangeProblem('2026-12-07', '2026-12-07')).toBeNull();
    expect(rangeProblem('2024-01-01', '2024-12-31')).toBeNull();
  });

  it('names a range the API would refuse', () => {
    expect(rangeProblem('2026-12-08', '2026-12-07')).toEqual({ kind: 'order' });
    expect(rangeProblem('2020-01-01', '2026-12-07')).toEqual({
      kind: 'tooLong',
      days: 2533,
      max: MAX_RANGE_DAYS,
    });
    expect(rangeProblem('2025-01-01', '2026-01-02')).toMatchObject({ kind: 'tooLong', days: 367 });
    expect(rangeProblem('2026-02-30', '2026-03-05')).toEqual({ kind: 'invalid' });
    expect(rangeProblem('8.11.2026', '2026-12-07')).toEqual({ kind: 'invalid' });
  });

  it('gives the picker the earliest first day of a range', () => {
    expect(earliestFrom('2026-12-07')).toBe('2025-12-07');
    expect(rangeProblem(earliestFrom('2026-12-07')!, '2026-12-07')).toBeNull();
    expect(earliestFrom('not a day')).toBeUndefined();
  });

  it('offers as the last day only days from the first to a year after it, and not after today', () => {
    expect(toBounds('2026-11-25', '2026-12-08')).toEqual({ minDate: '2026-11-25', maxDate: '2026-12-08' });
    const long = toBounds('2024-01-01', '2026-12-08');
    expect(long).toEqual({ minDate: '2024-01-01', maxDate: '2024-12-31' });
    expect(rangeProblem('2024-01-01', long.maxDate)).toBeNull();
    expect(toBounds('not a day', '2026-12-08')).toEqual({ maxDate: '2026-12-08' });
  });
});

describe('lastDays', () => {
  it('counts the days in the given zone: 23:30 UTC is already the next day in Shanghai', () => {
    const late = new Date('2026-12-07T23:30:00Z');
    expect(lastDays(30, late, 'UTC')).toEqual({ from: '2026-11-08', to: '2026-12-07', tz: 'UTC' });
    expect(lastDays(30, late, 'Asia/Shanghai')).toEqual({
      from: '2026-11-09',
      to: '2026-12-08',
      tz: 'Asia/Shanghai',
    });
  });

  it('crosses a month and a leap day, and gives one day for n = 1', () => {
    expect(lastDays(30, new Date('2028-03-10T12:00:00Z'), 'UTC').from).toBe('2028-02-10');
    expect(lastDays(1, new Date('2026-12-07T12:00:00Z'), 'UTC')).toMatchObject({
      from: '2026-12-07',
      to: '2026-12-07',
    });
  });
});

describe('analyticsLink', () => {
  it("opens the dashboard on the KB and the range, in the dashboard's own parameters", () => {
    expect(analyticsLink('kb-1', { from: '2026-11-08', to: '2026-12-07' })).toBe(
      '/analytics?kb=kb-1&from=2026-11-08&to=2026-12-07',
    );
  });
});
