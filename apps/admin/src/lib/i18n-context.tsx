/** React access to the strings: useT() gives t(key, vars) in the chosen language. */
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { initialLanguage, translate, type UiLanguage } from './i18n';
import type { MessageKey } from './messages';

export interface I18n {
  lang: UiLanguage;
  setLang(lang: UiLanguage): void;
  t(key: MessageKey, vars?: Record<string, string | number>): string;
}

const STORAGE_KEY = 'wendao.admin.lang';
const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<UiLanguage>(() =>
    initialLanguage(localStorage.getItem(STORAGE_KEY), navigator.language),
  );
  const setLang = useCallback((next: UiLanguage) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (key, vars) => translate(lang, key, vars) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useT(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useT outside I18nProvider');
  return value;
}
