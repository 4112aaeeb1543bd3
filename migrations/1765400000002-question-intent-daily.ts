/**
 * Intents per UTC day beside the hourly rollup: ranking a KB's intents over a range reads whole UTC
 * days here and only the partial days at the range's ends from the hourly rollup (a few hundred rows
 * a day less work on a busy KB); the daily trend of the top intents then reads the hourly rollup
 * by intent (the new index). Kept current by the same statement triggers.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

const LATENCY_BUCKET_SQL = (ms: string) => `floor(ln(greatest(${ms}, 1)) / ln(1.1))::smallint`;

/** The rollup statements of migration 1765400000001 plus the daily intents, for `rows` added (+) or removed (-). */
function rollups(rows: string, sign: '+' | '-', daily = true): string {
  const apply = (
    table: string,
    bucket: string,
    bucketExpr: string,
    key: string,
    value: string,
    where = 'TRUE',
  ) =>
    sign === '+'
      ? `INSERT INTO ${table} (kb_id, ${bucket}, ${key}, n)
           SELECT kb_id, ${bucketExpr}, ${value}, count(*) FROM ${rows} WHERE ${where} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
         ON CONFLICT (kb_id, ${bucket}, ${key}) DO UPDATE SET n = ${table}.n + EXCLUDED.n;`
      : `UPDATE ${table} t SET n = t.n - d.n FROM (
           SELECT kb_id, ${bucketExpr} AS b, ${value} AS k, count(*) AS n FROM ${rows} WHERE ${where} GROUP BY 1, 2, 3
         ) d WHERE t.kb_id = d.kb_id AND t.${bucket} = d.b AND t.${key} = d.k;`;
  const hour = `date_trunc('hour', created_at, 'UTC')`;
  return [
    apply('question_outcome_hourly', 'hour', hour, 'outcome', 'outcome'),
    apply('question_intent_hourly', 'hour', hour, 'intent', 'intent', 'intent IS NOT NULL'),
    apply('question_latency_hourly', 'hour', hour, 'bucket', LATENCY_BUCKET_SQL('latency_ms')),
    daily
      ? apply(
          'question_intent_daily',
          'day',
          `date_trunc('day', created_at, 'UTC')`,
          'intent',
          'intent',
          'intent IS NOT NULL',
        )
      : '',
  ].join('\n');
}

export class QuestionIntentDaily1765400000002 implements MigrationInterface {
  name = 'QuestionIntentDaily1765400000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE question_intent_daily (
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        -- Midnight UTC.
        day timestamptz NOT NULL,
        intent text NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (kb_id, day, intent)
      )`);
    await q.query(
      `CREATE INDEX question_intent_hourly_intent_idx ON question_intent_hourly (kb_id, intent, hour) INCLUDE (n)`,
    );
    await this.triggerFunctions(q, true);
    await q.query(`
      INSERT INTO question_intent_daily (kb_id, day, intent, n)
      SELECT kb_id, date_trunc('day', created_at, 'UTC'), intent, count(*) FROM question_event
      WHERE intent IS NOT NULL GROUP BY 1, 2, 3`);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.triggerFunctions(q, false);
    await q.query(`DROP TABLE question_intent_daily`);
    await q.query(`DROP INDEX question_intent_hourly_intent_idx`);
  }

  private async triggerFunctions(q: QueryRunner, daily: boolean): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION question_event_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${rollups('new_events', '+', daily)}
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE OR REPLACE FUNCTION question_event_rollup_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${rollups('old_events', '-', daily)}
        RETURN NULL;
      END $$`);
  }
}
