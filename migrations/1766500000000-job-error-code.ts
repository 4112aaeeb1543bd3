/**
 * A failed ingestion job keeps why it failed as data beside its English `error`: the failure's code
 * and values (file, type found, limit …), so the admin console can say it in Chinese. Jobs that
 * failed before this have neither and keep showing their English text.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class JobErrorCode1766500000000 implements MigrationInterface {
  name = 'JobErrorCode1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingestion_job ADD COLUMN error_code text, ADD COLUMN error_values jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingestion_job DROP COLUMN error_code, DROP COLUMN error_values`);
  }
}
