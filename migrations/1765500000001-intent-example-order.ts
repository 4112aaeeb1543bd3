/**
 * Intent examples keep the order they were given in: examples inserted by one statement share
 * created_at, and ordering ties by their random uuid made lists (and the classifier's training order,
 * hence a seeded model) differ from read to read.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class IntentExampleOrder1765500000001 implements MigrationInterface {
  name = 'IntentExampleOrder1765500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE intent_example ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY`);
    await q.query(`CREATE INDEX intent_example_intent_seq_idx ON intent_example (intent_id, seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX intent_example_intent_seq_idx`);
    await q.query(`ALTER TABLE intent_example DROP COLUMN seq`);
  }
}
