/** Date helpers for filters and display. */
import type { UiLanguage } from './i18n';

/** A yyyy-mm-dd day (the admin's local day) as the ISO instant it starts at; `end` gives the next day's start. */
export function dayBoundary(day: string, end = false): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (end ? 1 : 0));
  return date.toISOString();
}

// English dates name the month ("7 Dec 2026"): the browser's date pickers put the month first or the
// day first by its locale, so a numeric day in a table would read either way.
const EN_PARTS = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const ZH_DAY = { year: 'numeric', month: '2-digit', day: '2-digit' } as const;

function englishParts(date: Date): Record<'year' | 'month' | 'day' | 'hour' | 'minute', string> {
  const parts = Object.fromEntries(EN_PARTS.formatToParts(date).map((p) => [p.type, p.value]));
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute };
}

/** A day and time in the admin's time zone: 7 Dec 2026, 14:30 / 2026/12/07 14:30. */
export function formatTime(iso: string, lang: UiLanguage): string {
  const date = new Date(iso);
  if (lang === 'zh') return date.toLocaleString('zh-CN', { ...ZH_DAY, hour: '2-digit', minute: '2-digit' });
  const p = englishParts(date);
  return `${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}`;
}

/** A day in the admin's time zone: 7 Dec 2026 / 2026/12/07. */
export function formatDay(iso: string, lang: UiLanguage): string {
  const date = new Date(iso);
  if (lang === 'zh') return date.toLocaleDateString('zh-CN', ZH_DAY);
  const p = englishParts(date);
  return `${p.day} ${p.month} ${p.year}`;
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A chart axis's day (a yyyy-mm-dd calendar day, already in the range's zone, so no zone applies):
 * Dec 7 in English, as the dashboard's range fields write it (Dec 7, 2026) without the year, since
 * 12-07 read as 12 July to some; 12-07 in Chinese, as the Chinese axes have always read. Not a day:
 * as given.
 */
export function axisDay(day: string, lang: UiLanguage): string {
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return day;
  if (lang === 'zh') return `${m[1]}-${m[2]}`;
  return `${EN_MONTHS[Number(m[1]) - 1]} ${Number(m[2])}`;
}
