/**
 * Issue 16 (faults): ingestion jobs count their attempts and report a heartbeat, so a file that
 * kills the server is failed after a capped number of tries instead of being re-queued on every
 * start, and a job whose process died is found by the sweeper; FAQ ordinals become unique per
 * KB (existing duplicates from concurrent creates are renumbered in their current order first).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class JobAttemptsFaqOrdinals1765000000000 implements MigrationInterface {
  name = 'JobAttemptsFaqOrdinals1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingestion_job ADD COLUMN attempts integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE ingestion_job ADD COLUMN heartbeat_at timestamptz`);
    await q.query(
      `CREATE INDEX ingestion_job_status_idx ON ingestion_job (status) WHERE status IN ('queued', 'running')`,
    );
    await q.query(`
      UPDATE faq_entry f SET ordinal = r.n - 1
      FROM (SELECT id, row_number() OVER (PARTITION BY kb_id ORDER BY ordinal, created_at, seq) AS n FROM faq_entry) r
      WHERE f.id = r.id AND f.ordinal <> r.n - 1`);
    await q.query(`ALTER TABLE faq_entry ADD CONSTRAINT faq_entry_kb_ordinal_unique UNIQUE (kb_id, ordinal)`);
    // An insert without an ordinal gets the KB's next one; the per-KB advisory lock (held to commit)
    // makes concurrent inserts take turns, so they never read the same max. Writers that number a
    // batch themselves take the same lock first (faqOrdinalLock).
    await q.query(`ALTER TABLE faq_entry ALTER COLUMN ordinal DROP DEFAULT`);
    await q.query(`
      CREATE FUNCTION faq_entry_next_ordinal() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.ordinal IS NULL THEN
          PERFORM pg_advisory_xact_lock(hashtext('faq_entry_ordinal:' || NEW.kb_id::text));
          SELECT COALESCE(max(ordinal) + 1, 0) INTO NEW.ordinal FROM faq_entry WHERE kb_id = NEW.kb_id;
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(
      `CREATE TRIGGER faq_entry_ordinal BEFORE INSERT ON faq_entry FOR EACH ROW EXECUTE FUNCTION faq_entry_next_ordinal()`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER faq_entry_ordinal ON faq_entry`);
    await q.query(`DROP FUNCTION faq_entry_next_ordinal()`);
    await q.query(`ALTER TABLE faq_entry ALTER COLUMN ordinal SET DEFAULT 0`);
    await q.query(`ALTER TABLE faq_entry DROP CONSTRAINT faq_entry_kb_ordinal_unique`);
    await q.query(`DROP INDEX ingestion_job_status_idx`);
    await q.query(`ALTER TABLE ingestion_job DROP COLUMN heartbeat_at`);
    await q.query(`ALTER TABLE ingestion_job DROP COLUMN attempts`);
  }
}
