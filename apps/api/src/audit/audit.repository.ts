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
  /**
   * The KB's name: as it is now, or for a KB since deleted the latest name its rows recorded (null if
   * none did, e.g. rows older than the kb_name column whose KB was gone before it was added).
   */
  kbName: string | null;
  /** The KB no longer exists. */
  kbDeleted: boolean;
  targetId: string | null;
  before: unknown;
  after: unknown;
  createdAt: Date;
}

/** A KB in an organisation's log (its filter): the name it has, or last had if deleted. */
export interface AuditKbView {
  id: string;
  name: string | null;
  deleted: boolean;
}

const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

/** The routes whose before or after is the KB itself, so its `name` is the KB's. */
const KB_ROUTES = new Set([
  'POST /api/kbs',
  'POST /api/kbs/import',
  'PATCH /api/kbs/:id',
  'DELETE /api/kbs/:id',
]);

/** The KB's name as the row's own data gives it (a KB route's after, else its before), else null. */
export function kbNameInRow(e: Pick<AuditEntry, 'action' | 'before' | 'after'>): string | null {
  if (!KB_ROUTES.has(e.action) && !e.action.startsWith('upgrade ')) return null;
  for (const side of [e.after, e.before]) {
    const name = (side as { name?: unknown } | null | undefined)?.name;
    if (typeof name === 'string') return name;
  }
  return null;
}

/**
 * kb_name as a change leaves it: the KB's name in the same transaction (a rename's new name), else,
 * the KB gone (deleted by this change), the name the row's data holds.
 */
const KB_NAME = (kbId: string, fromRow: string) =>
  `coalesce((SELECT name FROM knowledge_base WHERE id = ${kbId}), ${fromRow})`;

async function insert(runner: DataSource | QueryRunner, e: AuditEntry): Promise<string> {
  const [row]: { id: string }[] = await runner.query(
    `INSERT INTO audit_log (organisation_id, actor_user_id, actor_api_key_id, actor, action, kb_id, target_id, before, after, kb_name)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ${KB_NAME('$6::uuid', '$10::text')}) RETURNING id::text`,
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
      kbNameInRow(e),
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

/**
 * Joins `kb` (the KB if it still exists in the organisation) and `last` (the latest kb_name the
 * organisation's log recorded for it: a deleted KB's name).
 */
const KB_OF = (kbId: string, organisationId: string) => `
  LEFT JOIN knowledge_base kb ON kb.id = ${kbId} AND kb.organisation_id = ${organisationId}
  LEFT JOIN LATERAL (
    SELECT l.kb_name FROM audit_log l
    WHERE l.organisation_id = ${organisationId} AND l.kb_id = ${kbId} AND l.kb_name IS NOT NULL
    ORDER BY l.id DESC LIMIT 1
  ) last ON kb.id IS NULL`;

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
  async complete(
    rowId: string,
    answer: { kbId: string | null; targetId: string | null; after: unknown },
    action: string,
  ) {
    // A new KB is known only now, by the answer's id: its name with it (kept if the row has one).
    await this.db.query(
      `UPDATE audit_log SET after = $2, kb_id = coalesce(kb_id, $3), target_id = coalesce(target_id, $4),
              kb_name = coalesce(kb_name, ${KB_NAME('coalesce(kb_id, $3::uuid)', '$5::text')})
       WHERE id = $1`,
      [
        rowId,
        json(answer.after),
        answer.kbId,
        answer.targetId,
        kbNameInRow({ action, before: null, after: answer.after }),
      ],
    );
  }

  async page(
    organisationId: string,
    limit: number,
    offset: number,
    kbId?: string,
  ): Promise<{ entries: AuditEntryView[]; total: number }> {
    const where = `a.organisation_id = $1${kbId ? ' AND a.kb_id = $2' : ''}`;
    const params: unknown[] = kbId ? [organisationId, kbId] : [organisationId];
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total FROM audit_log a WHERE ${where}`,
      params,
    );
    const entries: AuditEntryView[] = await this.db.query(
      `SELECT a.id::text, a.actor, a.actor_user_id AS "actorUserId", a.actor_api_key_id AS "actorApiKeyId",
              a.action, a.kb_id AS "kbId", coalesce(kb.name, last.kb_name) AS "kbName",
              (a.kb_id IS NOT NULL AND kb.id IS NULL) AS "kbDeleted", a.target_id AS "targetId", a.before,
              a.after, a.created_at AS "createdAt"
       FROM audit_log a ${KB_OF('a.kb_id', 'a.organisation_id')}
       WHERE ${where} ORDER BY a.id DESC LIMIT ${limit} OFFSET ${offset}`,
      params,
    );
    return { entries, total };
  }

  /** The KBs the organisation's log names, deleted ones too, for its filter: live first, by name. */
  async kbs(organisationId: string): Promise<AuditKbView[]> {
    return this.db.query(
      `SELECT ids.kb_id AS id, coalesce(kb.name, last.kb_name) AS name, kb.id IS NULL AS deleted
       FROM (SELECT DISTINCT kb_id FROM audit_log WHERE organisation_id = $1 AND kb_id IS NOT NULL) ids
       ${KB_OF('ids.kb_id', '$1::uuid')}
       ORDER BY deleted, lower(coalesce(kb.name, last.kb_name)) NULLS LAST, id`,
      [organisationId],
    );
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
