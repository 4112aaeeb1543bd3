/**
 * Trained intent classifiers (issue 15): one row per KB, the model's JSON and the hash of the
 * training data (examples in training order, embedder, training format) it was trained on. A start or
 * another replica whose examples hash the same loads it instead of training again.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class IntentModel1766200000000 implements MigrationInterface {
  name = 'IntentModel1766200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intent_model (
        kb_id uuid PRIMARY KEY REFERENCES knowledge_base(id) ON DELETE CASCADE,
        revision bigint NOT NULL,
        training_hash text NOT NULL,
        embedder text,
        examples integer NOT NULL,
        model json NOT NULL,
        report jsonb,
        train_millis integer NOT NULL,
        trained_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intent_model`);
  }
}
