import { describe, expect, it } from 'vitest';
import { axisDay, dayBoundary, formatDay, formatTime } from './dates';

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

describe('formatTime and formatDay', () => {
  // Local times, as the console shows them in the admin's time zone.
  const morning = new Date(2026, 11, 7, 9, 5).toISOString();
  const september = new Date(2026, 8, 17, 23, 59).toISOString();

  it('names the month in English, so no one reads 7 December as 12 July', () => {
    expect(formatTime(morning, 'en')).toBe('7 Dec 2026, 09:05');
    expect(formatTime(september, 'en')).toBe('17 Sep 2026, 23:59');
    expect(formatDay(morning, 'en')).toBe('7 Dec 2026');
  });

  it('writes Chinese dates year first', () => {
    expect(formatTime(morning, 'zh')).toBe('2026/12/07 09:05');
    expect(formatDay(september, 'zh')).toBe('2026/09/17');
  });
});

describe('axisDay', () => {
  it('labels an English chart day with the month named, as the range fields write it (Dec 7, 2026)', () => {
    expect(axisDay('2026-12-07', 'en')).toBe('Dec 7');
    expect(axisDay('2026-01-31', 'en')).toBe('Jan 31');
    expect(axisDay('2026-09-17', 'en')).toBe('Sep 17');
  });

  it('keeps the Chinese axis as MM-DD', () => {
    expect(axisDay('2026-12-07', 'zh')).toBe('12-07');
  });

  it('leaves what is not a day as it is', () => {
    expect(axisDay('total', 'en')).toBe('total');
  });
});
