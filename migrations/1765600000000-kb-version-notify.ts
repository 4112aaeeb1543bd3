/**
 * Issue 17 (scale-out): every committed change of a knowledge base's version (and its creation and
 * deletion) is announced on the PostgreSQL channel `wendao_kb_version` with the payload
 * {"kbId", "version"[, "deleted": true]}; a stored calibration on `wendao_kb_calibration` {"kbId"}.
 * Triggers, so no writer has to remember it; NOTIFY is delivered at commit, never for a rollback.
 * Each API replica LISTENs and brings its in-memory index up to the announced version.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class KbVersionNotify1765600000000 implements MigrationInterface {
  name = 'KbVersionNotify1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION wendao_kb_version_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM pg_notify('wendao_kb_version',
            json_build_object('kbId', OLD.id, 'version', OLD.version, 'deleted', true)::text);
          RETURN OLD;
        END IF;
        PERFORM pg_notify('wendao_kb_version', json_build_object('kbId', NEW.id, 'version', NEW.version)::text);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER knowledge_base_version_notify AFTER UPDATE OF version ON knowledge_base
      FOR EACH ROW WHEN (OLD.version IS DISTINCT FROM NEW.version)
      EXECUTE FUNCTION wendao_kb_version_notify()`);
    await q.query(`
      CREATE TRIGGER knowledge_base_created_deleted_notify AFTER INSERT OR DELETE ON knowledge_base
      FOR EACH ROW EXECUTE FUNCTION wendao_kb_version_notify()`);
    await q.query(`
      CREATE FUNCTION wendao_kb_calibration_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('wendao_kb_calibration', json_build_object('kbId', NEW.id)::text);
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER knowledge_base_calibration_notify AFTER UPDATE OF calibration ON knowledge_base
      FOR EACH ROW WHEN (OLD.calibration IS DISTINCT FROM NEW.calibration)
      EXECUTE FUNCTION wendao_kb_calibration_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER knowledge_base_calibration_notify ON knowledge_base`);
    await q.query(`DROP FUNCTION wendao_kb_calibration_notify()`);
    await q.query(`DROP TRIGGER knowledge_base_created_deleted_notify ON knowledge_base`);
    await q.query(`DROP TRIGGER knowledge_base_version_notify ON knowledge_base`);
    await q.query(`DROP FUNCTION wendao_kb_version_notify()`);
  }
}
