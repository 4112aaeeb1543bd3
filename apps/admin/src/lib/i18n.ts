/**
 * The console's strings in Chinese and English, and the lookup with {name} placeholders. The
 * language is the admin's choice (kept in localStorage), else the browser's.
 */
import { messages, type MessageKey } from './messages';

export type UiLanguage = 'zh' | 'en';

export function translate(
  lang: UiLanguage,
  key: MessageKey,
  vars: Record<string, string | number> = {},
): string {
  const text = messages[lang][key] ?? messages.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function initialLanguage(stored: string | null, browser: string | undefined): UiLanguage {
  if (stored === 'zh' || stored === 'en') return stored;
  return browser && !browser.toLowerCase().startsWith('zh') ? 'en' : 'zh';
}
