/**
 * Every PostgreSQL query of widget keys: create, list, look one up by its key or id, edit its name and
 * origins, add origins to a key no admin has edited (the demo page's), revoke it, and mark it used.
 * Changes run in a transaction of their own, so the audit log's row commits with them
 * (AuditRepository); one that finds no row rolls back and answers null.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows';
import type { WidgetKey } from './widget-key';

/** How fresh a key's last_used_at is kept: written at most once per this many seconds. */
export const WIDGET_KEY_USE_RESOLUTION_S = 60;

interface WidgetKeyRow {
  id: string;
  key: string;
  kb_id: string;
  name: string | null;
  allowed_origins: string[];
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const COLUMNS = 'id, key, kb_id, name, allowed_origins, created_at, last_used_at, revoked_at';

const widgetKey = (r: WidgetKeyRow): WidgetKey => ({
  id: r.id,
  key: r.key,
  kbId: r.kb_id,
  name: r.name,
  allowedOrigins: r.allowed_origins,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

/** Thrown inside a change's transaction when it finds no row: the transaction rolls back. */
class NoRow extends Error {}

@Injectable()
export class WidgetKeysRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** `work`'s single row in a transaction of its own; null (rolled back) when it returns none. */
  private async change(work: (m: EntityManager) => Promise<unknown>): Promise<WidgetKey | null> {
    try {
      return await this.db.transaction(async (m) => {
        const [row] = returningRows<WidgetKeyRow>(await work(m));
        if (!row) throw new NoRow();
        return widgetKey(row);
      });
    } catch (err) {
      if (err instanceof NoRow) return null;
      throw err;
    }
  }

  async create(kbId: string, key: string, allowedOrigins: string[], name: string | null): Promise<WidgetKey> {
    return (await this.change((m) =>
      m.query(
        `INSERT INTO widget_key (key, kb_id, allowed_origins, name) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [key, kbId, allowedOrigins, name],
      ),
    ))!;
  }

  /** The KB's keys, revoked ones included, oldest first. */
  async list(kbId: string): Promise<WidgetKey[]> {
    const rows: WidgetKeyRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM widget_key WHERE kb_id = $1 ORDER BY created_at, id`,
      [kbId],
    );
    return rows.map(widgetKey);
  }

  async byKey(key: string): Promise<WidgetKey | null> {
    const rows: WidgetKeyRow[] = await this.db.query(`SELECT ${COLUMNS} FROM widget_key WHERE key = $1`, [
      key,
    ]);
    return rows[0] ? widgetKey(rows[0]) : null;
  }

  async byId(kbId: string, id: string): Promise<WidgetKey | null> {
    const rows: WidgetKeyRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM widget_key WHERE kb_id = $1 AND id = $2`,
      [kbId, id],
    );
    return rows[0] ? widgetKey(rows[0]) : null;
  }

  /**
   * Sets what is given of the name and origins of a key of the KB that is not revoked (one statement:
   * both or neither); null when there is none. Origins set here are an admin's: they mark the key
   * edited (origins_edited_at), and addOriginsUnlessEdited leaves it alone from then on.
   */
  update(
    kbId: string,
    id: string,
    change: { allowedOrigins?: string[]; name?: string | null },
  ): Promise<WidgetKey | null> {
    return this.change((m) =>
      m.query(
        `UPDATE widget_key SET
           allowed_origins = CASE WHEN $4 THEN $3::text[] ELSE allowed_origins END,
           origins_edited_at = CASE WHEN $4 THEN now() ELSE origins_edited_at END,
           name = CASE WHEN $6 THEN $5 ELSE name END
         WHERE kb_id = $1 AND id = $2 AND revoked_at IS NULL RETURNING ${COLUMNS}`,
        [
          kbId,
          id,
          change.allowedOrigins ?? [],
          change.allowedOrigins !== undefined,
          change.name ?? null,
          change.name !== undefined,
        ],
      ),
    );
  }

  /**
   * Appends the `origins` a key of the KB lacks, in their order, unless an admin has set its origins
   * (origins_edited_at), it allows every origin (none listed), or it is revoked; null when nothing was
   * added. One statement: an admin's edit committed a moment before is seen, never overwritten.
   */
  addOriginsUnlessEdited(kbId: string, id: string, origins: string[]): Promise<WidgetKey | null> {
    return this.change((m) =>
      m.query(
        `UPDATE widget_key SET allowed_origins = allowed_origins || ARRAY(
           SELECT o FROM unnest($3::text[]) WITH ORDINALITY AS added(o, i)
            WHERE NOT o = ANY(allowed_origins) ORDER BY i)
         WHERE kb_id = $1 AND id = $2 AND revoked_at IS NULL AND origins_edited_at IS NULL
           AND cardinality(allowed_origins) > 0 AND NOT allowed_origins @> $3::text[]
         RETURNING ${COLUMNS}`,
        [kbId, id, origins],
      ),
    );
  }

  /** Revokes a key of the KB (one already revoked keeps its time); null when the KB has no such key. */
  revoke(kbId: string, id: string): Promise<WidgetKey | null> {
    return this.change((m) =>
      m.query(
        `UPDATE widget_key SET revoked_at = coalesce(revoked_at, now())
         WHERE kb_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
        [kbId, id],
      ),
    );
  }

  /**
   * Whether the key is still live (not revoked, not deleted with its KB), marking it used: its
   * last_used_at is written at most once a minute, not at every connection.
   */
  async use(id: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `WITH k AS (
         SELECT id, last_used_at FROM widget_key WHERE id = $1 AND revoked_at IS NULL
       ), touched AS (
         UPDATE widget_key SET last_used_at = now() FROM k
         WHERE widget_key.id = k.id
           AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '${WIDGET_KEY_USE_RESOLUTION_S} seconds')
       )
       SELECT id FROM k`,
      [id],
    );
    return rows.length === 1;
  }
}
