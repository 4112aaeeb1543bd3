/**
 * The answer-time chart's axis labels: milliseconds, or seconds where the chart reaches 10 s (a
 * slow KB's "30,000 ms" read as 30 s). One unit per axis, chosen by the chart's largest value, so
 * an axis crossing 10 s never reads "5,000 ms" beside "10 s".
 */
import type { UiLanguage } from './i18n';

const SECONDS_FROM_MS = 10_000;
const SECONDS = { zh: '秒', en: 's' } satisfies Record<UiLanguage, string>;
const LOCALE = { zh: 'zh-CN', en: 'en-US' } satisfies Record<UiLanguage, string>;

/** The chart's unit: seconds when its largest value (ms; nulls are days without answers) is 10 s or more. */
export function latencyAxisUnit(values: readonly (number | null)[]): 'ms' | 's' {
  return values.some((v) => v !== null && Math.abs(v) >= SECONDS_FROM_MS) ? 's' : 'ms';
}

/** In ms: 250 -> "250 ms", 5000 -> "5,000 ms"; in s: 30000 -> "30 s" / "30 秒", 12500 -> "12.5 s", 5000 -> "5 s". */
export function latencyAxisLabel(ms: number, lang: UiLanguage, unit: 'ms' | 's'): string {
  if (unit === 'ms') return `${ms.toLocaleString(LOCALE[lang])} ms`;
  const seconds = (ms / 1000).toLocaleString(LOCALE[lang], { maximumFractionDigits: 1 });
  return `${seconds} ${SECONDS[lang]}`;
}
