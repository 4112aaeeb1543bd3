/**
 * When an admin last set a widget key's origins (PATCH): the /demo page widens its own key with a
 * replica's origins only while this is null, so an admin's narrowing is never undone. Keys edited
 * before it are found in the audit log (the demo's widening never was audited: every change of
 * origins there is an admin's).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class WidgetKeyOriginsEdited1766800000000 implements MigrationInterface {
  name = 'WidgetKeyOriginsEdited1766800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE widget_key ADD COLUMN origins_edited_at timestamptz`);
    await q.query(
      `UPDATE widget_key k SET origins_edited_at = edits.at
         FROM (SELECT target_id, max(created_at) AS at FROM audit_log
                WHERE action = 'PATCH /api/kbs/:id/widget-keys/:keyId'
                  AND before -> 'allowedOrigins' IS DISTINCT FROM after -> 'allowedOrigins'
                GROUP BY target_id) edits
        WHERE edits.target_id = k.id::text`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE widget_key DROP COLUMN origins_edited_at`);
  }
}
