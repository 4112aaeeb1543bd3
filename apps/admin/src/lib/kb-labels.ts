/**
 * What a KB is called in lists and pickers: its name, and for KBs named alike (in any case; made
 * before the API refused a taken name, imported, or of two organisations) the day each was created,
 * then its id's first characters where that is the same too, so no two read alike.
 */
import { formatDay } from './dates';
import type { I18n } from './i18n-context';
import type { UiLanguage } from './i18n';
import type { KnowledgeBase } from './types';

type Named = Pick<KnowledgeBase, 'id' | 'name' | 'createdAt'>;

/** Each KB's label by id. */
export function kbLabels(kbs: Named[], t: I18n['t'], lang: UiLanguage): Map<string, string> {
  const byName = new Map<string, Named[]>();
  for (const kb of kbs) {
    const key = kb.name.toLocaleLowerCase();
    byName.set(key, [...(byName.get(key) ?? []), kb]);
  }
  const labels = new Map<string, string>();
  for (const kb of kbs) {
    const alike = byName.get(kb.name.toLocaleLowerCase())!;
    if (alike.length === 1) {
      labels.set(kb.id, kb.name);
      continue;
    }
    const day = formatDay(kb.createdAt, lang);
    const sameDay = alike.filter((other) => formatDay(other.createdAt, lang) === day).length > 1;
    const created = t('kb.createdOn', { day });
    labels.set(kb.id, `${kb.name} · ${created}${sameDay ? ` · ${kb.id.slice(0, 8)}` : ''}`);
  }
  return labels;
}
