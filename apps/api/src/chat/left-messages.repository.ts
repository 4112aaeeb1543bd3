/**
 * Every query of the agents' inbox of left messages: customer messages stored with
 * payload.leftForAgent (message_left_for_agent_idx), scoped in SQL to the agent's organisations (and
 * KB, for a KB-scoped API key), and their handled mark (migration 1766300000000).
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { returningRows } from '../database/returning-rows';
import { containsPattern, type ListPage } from '../common/list-query.dto';

/** Whose left messages: the organisations an agent serves, narrowed to one KB for a KB-scoped key. */
export interface LeftMessageScope {
  organisationIds: string[];
  kbId: string | null;
}

export interface LeftMessageRecord {
  sessionId: string;
  seq: number;
  kbId: string;
  kbName: string;
  organisationId: string;
  text: string;
  createdAt: Date;
  handledAt: Date | null;
  handledBy: string | null;
}

interface LeftMessageRow {
  session_id: string;
  seq: number;
  kb_id: string;
  kb_name: string;
  organisation_id: string;
  text: string;
  created_at: Date;
  handled_at: Date | null;
  handled_by: string | null;
}

const record = (r: LeftMessageRow): LeftMessageRecord => ({
  sessionId: r.session_id,
  seq: r.seq,
  kbId: r.kb_id,
  kbName: r.kb_name,
  organisationId: r.organisation_id,
  text: r.text,
  createdAt: r.created_at,
  handledAt: r.handled_at,
  handledBy: r.handled_by,
});

const COLUMNS = `c.id AS session_id, m.seq, kb.id AS kb_id, kb.name AS kb_name,
  kb.organisation_id, m.text, m.created_at, m.handled_at, m.handled_by`;
// The partial index's predicate, word for word, so the planner can use it.
const LEFT = `m.role = 'customer' AND (m.payload->>'leftForAgent') = 'true'`;
const IN_SCOPE = `kb.organisation_id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR kb.id = $2::uuid)`;

@Injectable()
export class LeftMessagesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Newest first; `handled` keeps one kind only, `q` matches the text. */
  async list(
    scope: LeftMessageScope,
    filter: { handled?: boolean; q?: string; limit?: number; offset?: number },
  ): Promise<ListPage<LeftMessageRecord>> {
    const params: unknown[] = [scope.organisationIds, scope.kbId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = [LEFT, IN_SCOPE];
    if (filter.handled !== undefined) where.push(`m.handled_at IS ${filter.handled ? 'NOT ' : ''}NULL`);
    if (filter.q?.trim()) where.push(`m.text ILIKE ${param(containsPattern(filter.q.trim()))}`);
    const from = `FROM message m JOIN conversation c ON c.id = m.conversation_id
      JOIN knowledge_base kb ON kb.id = c.kb_id WHERE ${where.join(' AND ')}`;
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total ${from}`,
      params,
    );
    const limit = filter.limit === undefined ? '' : ` LIMIT ${param(filter.limit)}`;
    const offset = filter.offset ? ` OFFSET ${param(filter.offset)}` : '';
    const rows: LeftMessageRow[] = await this.db.query(
      `SELECT ${COLUMNS} ${from} ORDER BY m.created_at DESC, m.id DESC${limit}${offset}`,
      params,
    );
    return { total, items: rows.map(record) };
  }

  /**
   * Marks the left message handled by `by` (once: marking it again keeps who and when), or back
   * unhandled; null when the session has no such left message in scope. `found` sees the message as
   * it was, inside the change's transaction (locked), before it changes.
   */
  async mark(
    scope: LeftMessageScope,
    sessionId: string,
    seq: number,
    handled: boolean,
    by: string,
    found: (before: LeftMessageRecord) => void = () => undefined,
  ): Promise<LeftMessageRecord | null> {
    return this.db.transaction(async (m) => {
      const params = [scope.organisationIds, scope.kbId, sessionId, seq];
      const target = `${LEFT} AND ${IN_SCOPE} AND c.id = $3 AND m.seq = $4`;
      const [before]: LeftMessageRow[] = await m.query(
        `SELECT ${COLUMNS} FROM message m JOIN conversation c ON c.id = m.conversation_id
           JOIN knowledge_base kb ON kb.id = c.kb_id
         WHERE ${target} FOR UPDATE OF m`,
        params,
      );
      if (!before) return null;
      found(record(before));
      const rows = returningRows<LeftMessageRow>(
        await m.query(
          `UPDATE message m SET
             handled_at = CASE WHEN $5 THEN COALESCE(m.handled_at, now()) END,
             handled_by = CASE WHEN $5 THEN COALESCE(m.handled_by, $6) END
           FROM conversation c JOIN knowledge_base kb ON kb.id = c.kb_id
          WHERE m.conversation_id = c.id AND ${target}
          RETURNING ${COLUMNS}`,
          [...params, handled, by],
        ),
      );
      return rows[0] ? record(rows[0]) : null;
    });
  }
}
