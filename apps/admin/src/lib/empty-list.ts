/**
 * What an empty list says. To those who may fill it (editors and owners), how; to the others (a
 * viewer, an agent), only that it is empty and who fills it: "Add one, or import…" beside no button
 * sent a viewer looking for one.
 */
import type { MessageKey } from './messages';

export type EmptyList = 'kb' | 'faq' | 'doc' | 'intent' | 'widget';

export function emptyListKey(list: EmptyList, canEdit: boolean): MessageKey {
  return canEdit ? `${list}.empty` : `${list}.emptyReadOnly`;
}
