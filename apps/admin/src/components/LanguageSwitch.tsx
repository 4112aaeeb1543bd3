/** 中文 / English toggle for the console's strings. */
import { SegmentedControl } from '@mantine/core';
import { useT } from '../lib/i18n-context';

export function LanguageSwitch() {
  const { lang, setLang } = useT();
  return (
    <SegmentedControl
      size="xs"
      value={lang}
      onChange={(v) => setLang(v === 'en' ? 'en' : 'zh')}
      data={[
        { value: 'zh', label: '中文' },
        { value: 'en', label: 'English' },
      ]}
      aria-label="language / 语言"
    />
  );
}
