/**
 * Each audit row keeps the name of its KB (kb_name), so a KB deleted since is still named and can be
 * picked in the console's filter, whichever rows of the log a page shows. New rows get the KB's name
 * as the change leaves it (AuditRepository). Existing rows: the KB's name where it still exists; for a
 * KB since deleted, the latest name its own rows recorded (the KB itself as created, changed, deleted
 * or renamed on upgrade: after's `name`, else before's); null where the log never recorded one.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditLogKbName1767200000000 implements MigrationInterface {
  name = 'AuditLogKbName1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_log ADD COLUMN kb_name text`);
    await q.query(`UPDATE audit_log a SET kb_name = kb.name FROM knowledge_base kb WHERE kb.id = a.kb_id`);
    await q.query(`
      UPDATE audit_log a SET kb_name = recorded.name
      FROM (
        SELECT DISTINCT ON (kb_id) kb_id, coalesce(after->>'name', before->>'name') AS name
        FROM audit_log
        WHERE kb_id IS NOT NULL
          AND (action IN ('POST /api/kbs', 'POST /api/kbs/import', 'PATCH /api/kbs/:id', 'DELETE /api/kbs/:id')
               OR action LIKE 'upgrade %')
          AND coalesce(after->>'name', before->>'name') IS NOT NULL
        ORDER BY kb_id, id DESC
      ) recorded
      WHERE a.kb_id = recorded.kb_id AND a.kb_name IS NULL`);
    // The filter's list of the KBs an organisation's log names (AuditRepository.kbs).
    await q.query(
      `CREATE INDEX audit_log_organisation_kb_idx ON audit_log (organisation_id, kb_id, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_organisation_kb_idx`);
    await q.query(`ALTER TABLE audit_log DROP COLUMN kb_name`);
  }
}
