/**
 * The audit log's queries: append an entry, page an organisation's entries newest first, and read
 * the state of what a change is about to alter (an FAQ entry, a KB's settings) for its "before".
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isUuid } from '../auth/auth.repository';

export interface AuditEntry {
  organisationId: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  actor: string;
  action: string;
  kbId: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
}

export interface AuditEntryView {
  id: string;
  actor: string;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  action: string;
  kbId: string | null;
  targetId: string | null;
  before: unknown;
  after: unknown;
  createdAt: Date;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async append(e: AuditEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_log (organisation_id, actor_user_id, actor_api_key_id, actor, action, kb_id, target_id, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        e.organisationId,
        e.actorUserId,
        e.actorApiKeyId,
        e.actor,
        e.action,
        e.kbId,
        e.targetId,
        e.before === undefined ? null : JSON.stringify(e.before),
        e.after === undefined ? null : JSON.stringify(e.after),
      ],
    );
  }

  async page(
    organisationId: string,
    limit: number,
    offset: number,
    kbId?: string,
  ): Promise<{ entries: AuditEntryView[]; total: number }> {
    const where = `organisation_id = $1${kbId ? ' AND kb_id = $2' : ''}`;
    const params: unknown[] = kbId ? [organisationId, kbId] : [organisationId];
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total FROM audit_log WHERE ${where}`,
      params,
    );
    const entries: AuditEntryView[] = await this.db.query(
      `SELECT id::text, actor, actor_user_id AS "actorUserId", actor_api_key_id AS "actorApiKeyId", action,
              kb_id AS "kbId", target_id AS "targetId", before, after, created_at AS "createdAt"
       FROM audit_log WHERE ${where} ORDER BY id DESC LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { entries, total };
  }

  async faqEntry(kbId: string, faqId: string): Promise<unknown> {
    if (!isUuid(kbId) || !isUuid(faqId)) return null;
    const rows: unknown[] = await this.db.query(
      'SELECT question, alternates, answer, tags, enabled FROM faq_entry WHERE id = $1 AND kb_id = $2',
      [faqId, kbId],
    );
    return rows[0] ?? null;
  }

  async knowledgeBase(kbId: string): Promise<unknown> {
    if (!isUuid(kbId)) return null;
    const rows: unknown[] = await this.db.query(
      `SELECT name, language, faq_threshold AS "faqThreshold", answer_threshold AS "answerThreshold", settings
       FROM knowledge_base WHERE id = $1`,
      [kbId],
    );
    return rows[0] ?? null;
  }
}
