/**
 * Intents (issue 15): per KB, named intents with labelled example utterances that the few-shot
 * classifier (@wendao/intent) is trained on; kb_intent_revision counts every change, so a replica
 * knows when its trained classifier is out of date.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Intents1765500000000 implements MigrationInterface {
  name = 'Intents1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE intent (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kb_id, name)
      )`);
    await q.query(`
      CREATE TABLE intent_example (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        intent_id uuid NOT NULL REFERENCES intent(id) ON DELETE CASCADE,
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        text text NOT NULL CHECK (length(text) BETWEEN 1 AND 1000),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (intent_id, text)
      )`);
    await q.query(`CREATE INDEX intent_example_kb_idx ON intent_example (kb_id)`);
    await q.query(`
      CREATE TABLE kb_intent_revision (
        kb_id uuid PRIMARY KEY REFERENCES knowledge_base(id) ON DELETE CASCADE,
        revision bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE kb_intent_revision`);
    await q.query(`DROP TABLE intent_example`);
    await q.query(`DROP TABLE intent`);
  }
}
