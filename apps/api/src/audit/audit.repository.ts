/**
 * The audit log's queries: append an entry, page an organisation's entries newest first, and read
 * the state of what a change is about to alter (an FAQ entry, a KB's settings, a widget key, a
 * document) for its "before".
 * It also listens to every transaction's commit: the first one to commit during an audited request
 * (auditInFlight) writes that request's row inside itself, so the change and its row are atomic.
 */
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type {
  DataSource,
  EntitySubscriberInterface,
  QueryRunner,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';
import { isUuid } from '../auth/auth.repository';
import { auditInFlight } from './audit-in-flight';

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

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

async function insert(runner: DataSource | QueryRunner, e: AuditEntry): Promise<string> {
  const [row]: { id: string }[] = await runner.query(
    `INSERT INTO audit_log (organisation_id, actor_user_id, actor_api_key_id, actor, action, kb_id, target_id, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id::text`,
    [
      e.organisationId,
      e.actorUserId,
      e.actorApiKeyId,
      e.actor,
      e.action,
      e.kbId,
      e.targetId,
      json(e.before),
      json(e.after),
    ],
  );
  return row.id;
}

/** Writes the request's row inside the first transaction that commits while it is in flight. */
const inTransaction: EntitySubscriberInterface = {
  async beforeTransactionCommit(event: TransactionCommitEvent) {
    const pending = auditInFlight.getStore();
    // A savepoint's release counts too: the row then commits or rolls back with the outer transaction.
    if (!pending || pending.settled || pending.carrier) return;
    // A route across organisations whose service has not yet said which: a later commit, or append().
    const { organisationId } = pending.entry;
    if (!organisationId) return;
    // Claimed before the await: of two transactions committing at once, one carries the row.
    pending.carrier = event.queryRunner;
    pending.rowId = await insert(event.queryRunner, {
      ...pending.entry,
      organisationId,
      after: pending.after ?? pending.entry.after,
    });
  },
  afterTransactionRollback(event: TransactionRollbackEvent) {
    const pending = auditInFlight.getStore();
    if (pending?.carrier !== event.queryRunner) return;
    pending.rowId = undefined;
    pending.carrier = undefined;
  },
};

@Injectable()
export class AuditRepository implements OnModuleInit {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  onModuleInit(): void {
    if (!this.db.subscribers.includes(inTransaction)) this.db.subscribers.push(inTransaction);
  }

  /** A row on its own (a change made without a transaction, or none committed during the request). */
  async append(e: AuditEntry): Promise<void> {
    await insert(this.db, e);
  }

  /** What only the handler's answer tells: "after", and the id of what it created. */
  async complete(rowId: string, answer: { kbId: string | null; targetId: string | null; after: unknown }) {
    await this.db.query(
      `UPDATE audit_log SET after = $2, kb_id = coalesce(kb_id, $3), target_id = coalesce(target_id, $4)
       WHERE id = $1`,
      [rowId, json(answer.after), answer.kbId, answer.targetId],
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
       FROM audit_log WHERE ${where} ORDER BY audit_log.id DESC LIMIT ${limit} OFFSET ${offset}`,
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

  /** A widget key's name, origins and state (not the key itself, which the log never holds). */
  async widgetKey(kbId: string, keyId: string): Promise<unknown> {
    if (!isUuid(kbId) || !isUuid(keyId)) return null;
    const rows: unknown[] = await this.db.query(
      `SELECT name, allowed_origins AS "allowedOrigins", created_at AS "createdAt", revoked_at AS "revokedAt"
       FROM widget_key WHERE id = $1 AND kb_id = $2`,
      [keyId, kbId],
    );
    return rows[0] ?? null;
  }

  /** A document about to be deleted: which file it was (its passages and FAQ entries go with it). */
  async document(kbId: string, docId: string): Promise<unknown> {
    if (!isUuid(kbId) || !isUuid(docId)) return null;
    const rows: unknown[] = await this.db.query(
      `SELECT id, file_name AS "fileName", type, size_bytes AS "sizeBytes",
              (SELECT count(*)::int FROM faq_entry f WHERE f.document_id = d.id) AS "faqCount",
              passage_count AS "passageCount"
       FROM document d WHERE id = $1 AND kb_id = $2`,
      [docId, kbId],
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
