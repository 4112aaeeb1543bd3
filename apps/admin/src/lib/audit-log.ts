/**
 * The audit log in words: what a row's route did ("edited FAQ entry"), who did it (a member, an API
 * key, or Wendao itself on upgrade), which KB, and what changed between its before and after. Pure,
 * so the page only lays it out.
 */
import { maskApiKey } from './api-keys';
import type { MessageKey } from './messages';
import type { ApiKey, AuditEntry, AuditKb } from './types';

type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

/** The routes the API records (ACCESS_RULES' non-GET routes, less NOT_AUDITED), as words. */
const ACTIONS: Record<string, MessageKey> = {
  'POST /api/kbs': 'audit.action.createKb',
  'POST /api/kbs/import': 'audit.action.importKb',
  'PATCH /api/kbs/:id': 'audit.action.kbSettings',
  'DELETE /api/kbs/:id': 'audit.action.deleteKb',
  'POST /api/kbs/:id/faqs': 'audit.action.createFaq',
  'PATCH /api/kbs/:id/faqs/:faqId': 'audit.action.editFaq',
  'DELETE /api/kbs/:id/faqs/:faqId': 'audit.action.deleteFaq',
  'POST /api/kbs/:id/intents': 'audit.action.createIntent',
  'POST /api/kbs/:id/intents/import': 'audit.action.importIntents',
  'PATCH /api/kbs/:id/intents/:intentId': 'audit.action.editIntent',
  'DELETE /api/kbs/:id/intents/:intentId': 'audit.action.deleteIntent',
  'POST /api/kbs/:id/intents/:intentId/examples': 'audit.action.addExample',
  'DELETE /api/kbs/:id/intents/:intentId/examples/:exampleId': 'audit.action.deleteExample',
  'POST /api/kbs/:id/documents': 'audit.action.uploadDocument',
  'DELETE /api/kbs/:id/documents/:docId': 'audit.action.deleteDocument',
  'POST /api/kbs/:id/widget-keys': 'audit.action.createWidgetKey',
  'PATCH /api/kbs/:id/widget-keys/:keyId': 'audit.action.editWidgetKey',
  'DELETE /api/kbs/:id/widget-keys/:keyId': 'audit.action.revokeWidgetKey',
  'POST /api/organisations/:orgId/users': 'audit.action.addMember',
  'PATCH /api/organisations/:orgId/users/:userId': 'audit.action.changeRole',
  'DELETE /api/organisations/:orgId/users/:userId': 'audit.action.removeMember',
  'POST /api/organisations/:orgId/api-keys': 'audit.action.createApiKey',
  'DELETE /api/organisations/:orgId/api-keys/:keyId': 'audit.action.revokeApiKey',
  // Written by migration KbNameUnique1767100000000 for a KB renamed because an older one had its name.
  'upgrade KbNameUnique1767100000000': 'audit.action.upgradeKbName',
};

const LEFT_MESSAGE = 'PATCH /api/agent/left-messages/:sessionId/:seq';

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** What the row did, in words; a route the console does not know is shown as it is. */
export function auditActionText(entry: Pick<AuditEntry, 'action' | 'after'>, t: Translate): string {
  if (entry.action === LEFT_MESSAGE) {
    const handled = isRecord(entry.after) ? entry.after.handled : undefined;
    return t(handled === false ? 'audit.action.reopenLeftMessage' : 'audit.action.handleLeftMessage');
  }
  const key = ACTIONS[entry.action];
  if (key) return t(key);
  if (entry.action.startsWith('upgrade ')) return t('audit.action.upgrade');
  return entry.action;
}

/** Whether the action is one the console names (else the page shows the route in monospace). */
export function isKnownAction(action: string): boolean {
  return action === LEFT_MESSAGE || action in ACTIONS || action.startsWith('upgrade ');
}

export type AuditActor =
  | { kind: 'user'; label: string; detail: string | null }
  | { kind: 'apiKey'; label: string; detail: string | null }
  | { kind: 'system'; label: string; detail: null };

/**
 * Who made the change: a member by name (the email beside it), an API key by its name and masked
 * prefix, or Wendao itself (an upgrade). A member since removed, or a key since deleted, is shown as
 * the log recorded it (the email; "API key" and its id).
 */
export function auditActor(
  entry: Pick<AuditEntry, 'actor' | 'actorUserId' | 'actorApiKeyId'>,
  members: { userId: string; email: string; name: string | null }[],
  apiKeys: Pick<ApiKey, 'id' | 'name' | 'prefix'>[],
  t: Translate,
): AuditActor {
  if (entry.actorApiKeyId || entry.actor.startsWith('API key ')) {
    const key = apiKeys.find((k) => k.id === entry.actorApiKeyId);
    if (!key) return { kind: 'apiKey', label: t('audit.actor.apiKey'), detail: entry.actorApiKeyId };
    return { kind: 'apiKey', label: key.name || t('apiKeys.unnamed'), detail: maskApiKey(key.prefix) };
  }
  if (entry.actorUserId || entry.actor.includes('@')) {
    const member = members.find((m) => m.userId === entry.actorUserId);
    if (member?.name) return { kind: 'user', label: member.name, detail: member.email };
    return { kind: 'user', label: member?.email ?? entry.actor, detail: null };
  }
  return {
    kind: 'system',
    label: entry.actor === 'Wendao upgrade' ? t('audit.actor.upgrade') : entry.actor,
    detail: null,
  };
}

/**
 * The KB a row is about, by the name the API gives the row (its KB's name now, or for a KB since
 * deleted the name its rows last recorded): one since deleted says so; null for a change to the
 * organisation itself.
 */
export function auditKbText(
  entry: Pick<AuditEntry, 'kbId' | 'kbName' | 'kbDeleted'>,
  t: Translate,
): { text: string; deleted: boolean } | null {
  if (!entry.kbId) return null;
  if (!entry.kbDeleted) return { text: entry.kbName ?? entry.kbId, deleted: false };
  return {
    text: entry.kbName ? t('audit.kb.deletedNamed', { name: entry.kbName }) : t('audit.kb.deleted'),
    deleted: true,
  };
}

/**
 * The KB filter's choices: every KB the log names (GET .../audit-log/kbs), deleted ones too, marked
 * so; a deleted KB whose name the log never recorded by the start of its id.
 */
export function auditKbOptions(kbs: AuditKb[], t: Translate): { value: string; label: string }[] {
  return kbs.map((kb) => ({
    value: kb.id,
    label: !kb.deleted
      ? (kb.name ?? kb.id)
      : kb.name
        ? t('audit.kb.deletedNamed', { name: kb.name })
        : `${t('audit.kb.deleted')} (${kb.id.slice(0, 8)})`,
  }));
}

export interface FieldChange {
  /** The field's path: `answer`, `settings.fallbackMessage`. */
  field: string;
  before: unknown;
  after: unknown;
}

/** A record's fields one level down flattened: `{settings: {a: 1}}` -> `settings.a`. */
function flatten(record: Record<string, unknown>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(record)) {
    if (isRecord(v)) for (const [k2, v2] of Object.entries(v)) out.set(`${k}.${k2}`, v2);
    else out.set(k, v);
  }
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The fields a change altered, when the row holds the state before and after (an FAQ entry, KB
 * settings, a widget key, a rename on upgrade): the fields the before recorded whose value the after
 * differs in. The after is the whole answer (a KB's has its thresholds and calibration too), so only
 * the before's fields are compared. null where there is no before to compare (a creation, a deletion,
 * anything else): the page shows the JSON.
 */
export function auditChanges(entry: Pick<AuditEntry, 'before' | 'after'>): FieldChange[] | null {
  if (!isRecord(entry.before) || !isRecord(entry.after)) return null;
  const before = flatten(entry.before);
  const after = flatten(entry.after);
  const changes: FieldChange[] = [];
  for (const [field, value] of before) {
    if (!after.has(field)) continue;
    if (!same(value, after.get(field))) changes.push({ field, before: value, after: after.get(field) });
  }
  // A setting the change added (the before's settings lacked it).
  for (const [field, value] of after) {
    const [head] = field.split('.');
    if (field.includes('.') && isRecord(entry.before[head]) && !before.has(field) && value !== undefined)
      changes.push({ field, before: undefined, after: value });
  }
  return changes;
}

const FIELDS: Record<string, MessageKey> = {
  // The words the FAQ editor, the KB's settings and the widget keys page label these fields with.
  question: 'faq.question',
  alternates: 'faq.alternates',
  answer: 'faq.answer',
  tags: 'faq.tags',
  enabled: 'faq.enabled',
  name: 'kb.name',
  language: 'kb.language',
  faqThreshold: 'settings.faqThreshold',
  answerThreshold: 'settings.answerThreshold',
  'settings.fallbackMessage': 'settings.fallbackMessage',
  'settings.targetPrecision': 'settings.targetPrecision',
  'settings.chunkTargetLength': 'settings.chunkTarget',
  'settings.chunkMaxLength': 'settings.chunkMax',
  'settings.chunkOverlap': 'settings.chunkOverlap',
  allowedOrigins: 'audit.field.allowedOrigins',
  revokedAt: 'audit.field.revokedAt',
  handled: 'audit.field.handled',
};

/** A field's name in words; one the console does not know, as the API names it. */
export function auditFieldLabel(field: string, t: Translate): string {
  const key = FIELDS[field];
  return key ? t(key) : field;
}

/** A value in a before/after cell: lists joined, yes/no, an empty value as a dash, objects as JSON. */
export function auditValueText(value: unknown, t: Translate): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(value ? 'audit.value.yes' : 'audit.value.no');
  if (Array.isArray(value))
    return value.length === 0
      ? '—'
      : value.every((v) => typeof v === 'string')
        ? value.join(t('audit.value.separator'))
        : JSON.stringify(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
