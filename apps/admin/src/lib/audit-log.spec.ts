import { describe, expect, it } from 'vitest';
import { NOT_AUDITED } from '../../../api/src/audit/not-audited';
import { ACCESS_RULES } from '../../../api/src/auth/access-rules';
import {
  auditActionText,
  auditActor,
  auditChanges,
  auditFieldLabel,
  auditKbOptions,
  auditKbText,
  auditValueText,
  isKnownAction,
} from './audit-log';
import { translate, type UiLanguage } from './i18n';

const t =
  (lang: UiLanguage) => (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) =>
    translate(lang, key, vars);
const en = t('en');
const zh = t('zh');

describe('auditActionText', () => {
  it('says what a route did, in the console language', () => {
    expect(auditActionText({ action: 'PATCH /api/kbs/:id/faqs/:faqId', after: {} }, en)).toBe(
      'edited FAQ entry',
    );
    expect(auditActionText({ action: 'PATCH /api/kbs/:id/faqs/:faqId', after: {} }, zh)).toBe('编辑了问答');
    expect(auditActionText({ action: 'PATCH /api/kbs/:id', after: {} }, en)).toBe('changed KB settings');
    expect(auditActionText({ action: 'DELETE /api/kbs/:id/documents/:docId', after: null }, en)).toBe(
      'deleted document',
    );
    expect(auditActionText({ action: 'POST /api/organisations/:orgId/api-keys', after: {} }, zh)).toBe(
      '新建了 API 密钥',
    );
    expect(auditActionText({ action: 'upgrade KbNameUnique1767100000000', after: {} }, en)).toBe(
      'renamed a KB on upgrade (its name was taken)',
    );
  });

  it('reads a left message marked handled apart from one put back', () => {
    const action = 'PATCH /api/agent/left-messages/:sessionId/:seq';
    expect(auditActionText({ action, after: { handled: true } }, en)).toBe('marked a left message handled');
    expect(auditActionText({ action, after: { handled: false } }, en)).toBe('reopened a left message');
  });

  it('shows a route it does not know as it is', () => {
    expect(auditActionText({ action: 'POST /api/kbs/:id/reindex', after: null }, en)).toBe(
      'POST /api/kbs/:id/reindex',
    );
    expect(isKnownAction('POST /api/kbs/:id/reindex')).toBe(false);
  });

  it('names every route the API records (its non-GET access rules, less those it never logs)', () => {
    const recorded = Object.keys(ACCESS_RULES).filter((k) => !k.startsWith('GET ') && !NOT_AUDITED.has(k));
    expect(recorded.length).toBeGreaterThan(20);
    expect(recorded.filter((k) => !isKnownAction(k))).toEqual([]);
  });
});

describe('auditActor', () => {
  const members = [{ userId: 'u1', email: 'wang.li@shop.example', name: '王丽' }];
  const keys = [{ id: 'k1', name: '商城后台', prefix: 'wdk_ab12cd' }];

  it('names a member, with the email beside', () => {
    const entry = { actor: 'wang.li@shop.example', actorUserId: 'u1', actorApiKeyId: null };
    expect(auditActor(entry, members, keys, en)).toEqual({
      kind: 'user',
      label: '王丽',
      detail: 'wang.li@shop.example',
    });
  });

  it('shows a removed member by the email the log kept', () => {
    const entry = { actor: 'gone@shop.example', actorUserId: null, actorApiKeyId: null };
    expect(auditActor(entry, members, keys, en)).toEqual({
      kind: 'user',
      label: 'gone@shop.example',
      detail: null,
    });
  });

  it('names an API key by its name and prefix, a deleted one as such', () => {
    expect(
      auditActor({ actor: 'API key k1', actorUserId: null, actorApiKeyId: 'k1' }, members, keys, en),
    ).toEqual({
      kind: 'apiKey',
      label: '商城后台',
      detail: 'wdk_ab12cd…',
    });
    expect(
      auditActor({ actor: 'API key k9', actorUserId: null, actorApiKeyId: null }, members, keys, zh),
    ).toEqual({
      kind: 'apiKey',
      label: 'API 密钥（已删除）',
      detail: null,
    });
  });

  it('reads Wendao itself (an upgrade) as the system, in the console language', () => {
    const entry = { actor: 'Wendao upgrade', actorUserId: null, actorApiKeyId: null };
    expect(auditActor(entry, members, keys, zh)).toEqual({ kind: 'system', label: '问道升级', detail: null });
    expect(auditActor(entry, members, keys, en).label).toBe('Wendao upgrade');
  });
});

describe('auditKbText', () => {
  it('names the KB as the API gives the row, and none for the organisation itself', () => {
    expect(auditKbText({ kbId: 'kb1', kbName: '售后客服', kbDeleted: false }, en)).toEqual({
      text: '售后客服',
      deleted: false,
    });
    expect(auditKbText({ kbId: null, kbName: null, kbDeleted: false }, en)).toBeNull();
  });

  it('says a deleted KB is deleted, by the name its rows recorded, whatever the page holds', () => {
    expect(auditKbText({ kbId: 'kb2', kbName: 'Old FAQ', kbDeleted: true }, en)).toEqual({
      text: 'Old FAQ (deleted)',
      deleted: true,
    });
    expect(auditKbText({ kbId: 'kb3', kbName: null, kbDeleted: true }, zh)).toEqual({
      text: '已删除的知识库',
      deleted: true,
    });
  });
});

describe('auditKbOptions', () => {
  it('offers every KB the log names, a deleted one marked, one never named by its id', () => {
    const kbs = [
      { id: 'kb1-live-0000', name: '售后客服', deleted: false },
      { id: 'kb2-gone-0000', name: 'Old FAQ', deleted: true },
      { id: 'kb3-gone-0000', name: null, deleted: true },
    ];
    expect(auditKbOptions(kbs, en)).toEqual([
      { value: 'kb1-live-0000', label: '售后客服' },
      { value: 'kb2-gone-0000', label: 'Old FAQ (deleted)' },
      { value: 'kb3-gone-0000', label: 'a deleted KB (kb3-gone)' },
    ]);
    expect(auditKbOptions(kbs, zh)[1].label).toBe('Old FAQ（已删除）');
  });
});

describe('auditChanges', () => {
  it('lists the FAQ fields an edit changed, not the answer-only fields', () => {
    const before = { question: '退货期限是多久？', alternates: [], answer: '7天', tags: [], enabled: true };
    const after = {
      ...before,
      id: 'f1',
      answer: '15天',
      tags: ['售后'],
      updatedAt: '2026-12-08T01:00:00.000Z',
    };
    expect(auditChanges({ before, after })).toEqual([
      { field: 'answer', before: '7天', after: '15天' },
      { field: 'tags', before: [], after: ['售后'] },
    ]);
  });

  it('reads KB settings one level down, a setting newly set included', () => {
    const before = { name: 'Shop', language: 'en', faqThreshold: null, answerThreshold: null, settings: {} };
    const after = {
      ...before,
      faqThreshold: 0.8,
      settings: { fallbackMessage: 'Ask a person' },
      effectiveThresholds: { faq: 0.8 },
    };
    expect(auditChanges({ before, after })).toEqual([
      { field: 'faqThreshold', before: null, after: 0.8 },
      { field: 'settings.fallbackMessage', before: undefined, after: 'Ask a person' },
    ]);
  });

  it('has nothing to compare for a creation or a deletion', () => {
    expect(auditChanges({ before: null, after: { id: 'f1', question: 'q' } })).toBeNull();
    expect(auditChanges({ before: { id: 'd1', fileName: 'a.pdf' }, after: null })).toBeNull();
  });
});

describe('field and value words', () => {
  it('labels fields as the console does, unknown ones as the API names them', () => {
    expect(auditFieldLabel('answer', zh)).toBe('答案');
    expect(auditFieldLabel('settings.fallbackMessage', en)).toBe('Fallback message');
    expect(auditFieldLabel('somethingNew', en)).toBe('somethingNew');
  });

  it('writes lists, yes/no and empty values readably', () => {
    expect(auditValueText(['a', 'b'], zh)).toBe('a、b');
    expect(auditValueText(['a', 'b'], en)).toBe('a, b');
    expect(auditValueText(false, en)).toBe('no');
    expect(auditValueText(null, en)).toBe('—');
    expect(auditValueText([], en)).toBe('—');
    expect(auditValueText(0.8, en)).toBe('0.8');
  });
});
