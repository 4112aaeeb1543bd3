/**
 * What is wrong with a dashboard date range before it is asked for: the API refuses the same ranges
 * (analytics.service.ts), but in English and once per chart; the page says it once, in the console's
 * language, and asks for nothing.
 */

/** The longest range the API aggregates (MAX_RANGE_DAYS in analytics.service.ts). */
export const MAX_RANGE_DAYS = 366;

export type RangeProblem =
  { kind: 'invalid' } | { kind: 'order' } | { kind: 'tooLong'; days: number; max: number };

/** Days since 1970 of a `YYYY-MM-DD` calendar day, or null for anything else (2026-02-30 too). */
function dayNumber(day: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === day ? t / 86_400_000 : null;
}

/** Null for a range the API answers: two calendar days, in order, at most MAX_RANGE_DAYS long. */
export function rangeProblem(from: string, to: string): RangeProblem | null {
  const a = dayNumber(from);
  const b = dayNumber(to);
  if (a === null || b === null) return { kind: 'invalid' };
  if (a > b) return { kind: 'order' };
  const days = b - a + 1;
  return days > MAX_RANGE_DAYS ? { kind: 'tooLong', days, max: MAX_RANGE_DAYS } : null;
}

/** The earliest first day a range ending on `to` may have (`YYYY-MM-DD`), for the date picker. */
export function earliestFrom(to: string): string | undefined {
  const b = dayNumber(to);
  return b === null ? undefined : new Date((b - MAX_RANGE_DAYS + 1) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The days the picker offers as the last day of a range starting on `from`: from `from` itself to
 * MAX_RANGE_DAYS later, and never after `today` (`YYYY-MM-DD`). The end picker offered any day up to
 * today, so a day before the start (or over a year after it) could be picked and was then refused.
 */
export function toBounds(from: string, today: string): { minDate?: string; maxDate: string } {
  const a = dayNumber(from);
  if (a === null) return { maxDate: today };
  const latest = new Date((a + MAX_RANGE_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  return { minDate: from, maxDate: latest < today ? latest : today };
}

/** The browser's IANA time zone, the one the console counts days in. */
export const BROWSER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * The last `n` calendar days up to `now`'s day in `tz`, both included: the dashboard's "last 30 days"
 * (its default range), so a figure computed elsewhere over the same days matches the dashboard's.
 */
export function lastDays(
  n: number,
  now = new Date(),
  tz = BROWSER_TIME_ZONE,
): { from: string; to: string; tz: string } {
  const to = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  const from = new Date(Date.parse(to) - (n - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to, tz };
}

/** The analytics dashboard's address (inside the console) for one KB and a range of days. */
export function analyticsLink(kbId: string, range: { from: string; to: string }): string {
  return `/analytics?${new URLSearchParams({ kb: kbId, from: range.from, to: range.to }).toString()}`;
}
