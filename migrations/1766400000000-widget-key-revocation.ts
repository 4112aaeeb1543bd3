/**
 * Widget keys can be revoked and show when they were last used: a revoked key keeps its row (the
 * conversations it opened and the audit log still name it) with the time it was revoked, and
 * last_used_at is written when a widget connects with it (at most once a minute per key).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class WidgetKeyRevocation1766400000000 implements MigrationInterface {
  name = 'WidgetKeyRevocation1766400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE widget_key ADD COLUMN revoked_at timestamptz, ADD COLUMN last_used_at timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE widget_key DROP COLUMN revoked_at, DROP COLUMN last_used_at`);
  }
}
