import { describe, expect, it } from 'vitest';
import { dayBoundary } from './dates';

describe('dayBoundary', () => {
  it('gives the start of the day, and of the next day for an inclusive end', () => {
    const start = new Date(dayBoundary('2026-12-05')!);
    const end = new Date(dayBoundary('2026-12-05', true)!);
    expect([start.getFullYear(), start.getMonth(), start.getDate(), start.getHours()]).toEqual([
      2026, 11, 5, 0,
    ]);
    expect(end.getTime() - start.getTime()).toBe(86_400_000);
  });

  it('ignores what is not a day', () => {
    expect(dayBoundary('')).toBeUndefined();
    expect(dayBoundary('5.12.2026')).toBeUndefined();
  });
});
