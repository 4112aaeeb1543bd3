/**
 * The console's strings in Chinese and English, and the lookup with {name} placeholders and
 * {name|singular|plural} word choices. The language is the admin's choice (kept in localStorage),
 * else the browser's.
 */
import { messages, type MessageKey } from './messages';

export type UiLanguage = 'zh' | 'en';

const PLURALS = new Intl.PluralRules('en');

/**
 * `text` with each {name} replaced by vars[name], and each {name|one|other} by the word the number
 * vars[name] takes in English ('1 {n|vote|votes}' → '1 vote'); unknown names stay visible. Chinese
 * strings need no plurals.
 */
export function fill(text: string, vars: Record<string, string | number> = {}): string {
  return text.replace(
    /\{(\w+)(?:\|([^|{}]*)\|([^|{}]*))?\}/g,
    (whole, name: string, one?: string, other?: string) => {
      if (!(name in vars)) return whole;
      if (one === undefined) return String(vars[name]);
      return PLURALS.select(Number(vars[name])) === 'one' ? one : (other ?? '');
    },
  );
}

export function translate(
  lang: UiLanguage,
  key: MessageKey,
  vars: Record<string, string | number> = {},
): string {
  return fill(messages[lang][key] ?? messages.zh[key] ?? key, vars);
}

export function initialLanguage(stored: string | null, browser: string | undefined): UiLanguage {
  if (stored === 'zh' || stored === 'en') return stored;
  return browser && !browser.toLowerCase().startsWith('zh') ? 'en' : 'zh';
}
