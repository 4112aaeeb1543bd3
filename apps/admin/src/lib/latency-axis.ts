/** The answer-time chart's axis labels: milliseconds, or seconds from 10 s (a slow KB's "30,000 ms" read as 30 s). */
import type { UiLanguage } from './i18n';

const SECONDS_FROM_MS = 10_000;
const SECONDS = { zh: '秒', en: 's' } satisfies Record<UiLanguage, string>;
const LOCALE = { zh: 'zh-CN', en: 'en-US' } satisfies Record<UiLanguage, string>;

/** 250 -> "250 ms"; 5000 -> "5,000 ms"; 30000 -> "30 s" / "30 秒"; 12500 -> "12.5 s". */
export function latencyAxisLabel(ms: number, lang: UiLanguage): string {
  if (Math.abs(ms) < SECONDS_FROM_MS) return `${ms.toLocaleString(LOCALE[lang])} ms`;
  const seconds = (ms / 1000).toLocaleString(LOCALE[lang], { maximumFractionDigits: 1 });
  return `${seconds} ${SECONDS[lang]}`;
}
