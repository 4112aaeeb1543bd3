/**
 * The audit log (issue 16): one row per successful change made through the API by a user or API
 * key — who, which organisation and KB, what (the route), the target's id, and the state before and
 * after where it matters (FAQ entries and KB settings). Owners read it, newest first.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditLog1765310000000 implements MigrationInterface {
  name = 'AuditLog1765310000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_log (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        organisation_id uuid NOT NULL REFERENCES organisation(id) ON DELETE CASCADE,
        -- Who: the user, or the API key; the label (email, key prefix) survives their deletion.
        actor_user_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        actor_api_key_id uuid REFERENCES api_key(id) ON DELETE SET NULL,
        actor text NOT NULL,
        -- The route, e.g. 'PATCH /api/kbs/:id/faqs/:faqId'.
        action text NOT NULL,
        -- No foreign key: the KB may be deleted, its history stays.
        kb_id uuid,
        target_id text,
        before jsonb,
        after jsonb,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX audit_log_organisation_idx ON audit_log (organisation_id, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
  }
}
