import { describe, expect, it } from 'vitest';
import { formatDay } from './dates';
import { translate, type UiLanguage } from './i18n';
import { kbLabels } from './kb-labels';

const t =
  (lang: UiLanguage) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
    translate(lang, key, vars);

describe('kbLabels', () => {
  const kbs = [
    { id: 'aaaaaaaa-1111', name: '售后', createdAt: '2026-11-02T03:00:00Z' },
    { id: 'bbbbbbbb-2222', name: '售后', createdAt: '2026-12-01T03:00:00Z' },
    { id: 'cccccccc-3333', name: 'Shop', createdAt: '2026-12-01T03:00:00Z' },
    { id: 'dddddddd-4444', name: 'shop', createdAt: '2026-12-01T04:00:00Z' },
    { id: 'eeeeeeee-5555', name: '物流', createdAt: '2026-12-01T04:00:00Z' },
  ];

  it('says a name alone when it is the only one, and tells KBs named alike apart (zh, en)', () => {
    const zh = kbLabels(kbs, t('zh'), 'zh');
    expect(zh.get('eeeeeeee-5555')).toBe('物流');
    expect(zh.get('aaaaaaaa-1111')).toBe(`售后 · 创建于 ${formatDay(kbs[0].createdAt, 'zh')}`);
    expect(zh.get('bbbbbbbb-2222')).toBe(`售后 · 创建于 ${formatDay(kbs[1].createdAt, 'zh')}`);
    const en = kbLabels(kbs, t('en'), 'en');
    // Named alike in another case, created the same day: the id's first characters too.
    expect(en.get('cccccccc-3333')).toBe(`Shop · created ${formatDay(kbs[2].createdAt, 'en')} · cccccccc`);
    expect(en.get('dddddddd-4444')).toBe(`shop · created ${formatDay(kbs[3].createdAt, 'en')} · dddddddd`);
    expect(new Set(en.values()).size).toBe(kbs.length);
  });
});
