/**
 * An ingestion job keeps its warnings as data beside their English `warnings`: each one's code and
 * values (row, sheet, question, file …), in the same order, so the admin console can say them in
 * Chinese. Jobs stored before this keep NULL and keep showing their English text.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class JobWarningCodes1766600001000 implements MigrationInterface {
  name = 'JobWarningCodes1766600001000';

  async up(q: QueryRunner): Promise<void> {
    // Added without a default so the rows already there stay NULL (no codes known); new jobs start at [].
    await q.query(`ALTER TABLE ingestion_job ADD COLUMN warning_codes jsonb`);
    await q.query(`ALTER TABLE ingestion_job ALTER COLUMN warning_codes SET DEFAULT '[]'::jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ingestion_job DROP COLUMN warning_codes`);
  }
}
