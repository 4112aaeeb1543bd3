/** Date helpers for filters and display. */
import type { UiLanguage } from './i18n';

/** A yyyy-mm-dd day (the admin's local day) as the ISO instant it starts at; `end` gives the next day's start. */
export function dayBoundary(day: string, end = false): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + (end ? 1 : 0));
  return date.toISOString();
}

export function formatTime(iso: string, lang: UiLanguage): string {
  return new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
}
