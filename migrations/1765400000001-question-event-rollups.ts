/**
 * Hourly rollups of question_event, kept current on write by statement triggers (one upsert per
 * statement, so a bulk insert costs one pass): questions per outcome, per intent, and a latency
 * histogram (buckets 10 % wide). Whole UTC hours fall into one local day in every zone whose offset
 * is whole hours, so the dashboard counts days from a few thousand rollup rows instead of every
 * event (bench/analytics.bench.ts: 1M events). Unanswered groups stay on the events (index-only).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

/** The latency bucket of a value in ms: [1.1^b, 1.1^(b+1)), everything under 1 ms in bucket 0 (as apps/api/src/analytics/latency-histogram.ts). */
const LATENCY_BUCKET_SQL = (ms: string) => `floor(ln(greatest(${ms}, 1)) / ln(1.1))::smallint`;

export class QuestionEventRollups1765400000001 implements MigrationInterface {
  name = 'QuestionEventRollups1765400000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE question_outcome_hourly (
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        hour timestamptz NOT NULL,
        outcome text NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (kb_id, hour, outcome)
      )`);
    await q.query(`
      CREATE TABLE question_intent_hourly (
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        hour timestamptz NOT NULL,
        intent text NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (kb_id, hour, intent)
      )`);
    await q.query(`
      CREATE TABLE question_latency_hourly (
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        hour timestamptz NOT NULL,
        bucket smallint NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (kb_id, hour, bucket)
      )`);
    const hour = `date_trunc('hour', created_at, 'UTC')`;
    const rollups = (rows: string, sign: '+' | '-') => {
      const apply = (table: string, key: string, value: string, where = 'TRUE') =>
        sign === '+'
          ? `INSERT INTO ${table} (kb_id, hour, ${key}, n)
               SELECT kb_id, ${hour}, ${value}, count(*) FROM ${rows} WHERE ${where} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
             ON CONFLICT (kb_id, hour, ${key}) DO UPDATE SET n = ${table}.n + EXCLUDED.n;`
          : `UPDATE ${table} t SET n = t.n - d.n FROM (
               SELECT kb_id, ${hour} AS hour, ${value} AS k, count(*) AS n FROM ${rows} WHERE ${where} GROUP BY 1, 2, 3
             ) d WHERE t.kb_id = d.kb_id AND t.hour = d.hour AND t.${key} = d.k;`;
      return [
        apply('question_outcome_hourly', 'outcome', 'outcome'),
        apply('question_intent_hourly', 'intent', 'intent', 'intent IS NOT NULL'),
        apply('question_latency_hourly', 'bucket', LATENCY_BUCKET_SQL('latency_ms')),
      ].join('\n');
    };
    await q.query(`
      CREATE FUNCTION question_event_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${rollups('new_events', '+')}
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION question_event_rollup_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${rollups('old_events', '-')}
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER question_event_rollup_insert AFTER INSERT ON question_event
      REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION question_event_rollup_insert()`);
    await q.query(`
      CREATE TRIGGER question_event_rollup_delete AFTER DELETE ON question_event
      REFERENCING OLD TABLE AS old_events FOR EACH STATEMENT EXECUTE FUNCTION question_event_rollup_delete()`);
    // Events recorded before the rollups existed.
    await q.query(rollups('question_event', '+'));

    // Unanswered groups read the question too (its most common spelling), without touching the table.
    await q.query(`DROP INDEX question_event_kb_time_unanswered_idx`);
    await q.query(`
      CREATE INDEX question_event_kb_time_unanswered_idx ON question_event (kb_id, created_at)
      INCLUDE (question_normalized, question)
      WHERE outcome = 'fallback' OR handoff_reason = 'consecutive_fallbacks'`);
    // The rollups replace these two for counting.
    await q.query(`DROP INDEX question_event_kb_time_intent_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE INDEX question_event_kb_time_intent_idx ON question_event (kb_id, created_at)
      INCLUDE (intent) WHERE intent IS NOT NULL`);
    await q.query(`DROP TRIGGER question_event_rollup_delete ON question_event`);
    await q.query(`DROP TRIGGER question_event_rollup_insert ON question_event`);
    await q.query(`DROP FUNCTION question_event_rollup_delete()`);
    await q.query(`DROP FUNCTION question_event_rollup_insert()`);
    await q.query(`DROP TABLE question_latency_hourly`);
    await q.query(`DROP TABLE question_intent_hourly`);
    await q.query(`DROP TABLE question_outcome_hourly`);
  }
}
