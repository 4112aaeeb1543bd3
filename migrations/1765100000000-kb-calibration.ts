/**
 * Thresholds calibrated on each knowledge base's own content (issue: one answer pipeline): the last
 * calibration's values, the KB version and score modes it was made for, and its report.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class KbCalibration1765100000000 implements MigrationInterface {
  name = 'KbCalibration1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE knowledge_base ADD COLUMN calibration jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE knowledge_base DROP COLUMN calibration`);
  }
}
