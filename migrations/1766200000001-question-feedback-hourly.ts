/**
 * Thumbs up/down per (KB, UTC hour of the question), kept current on write, so the dashboard's
 * feedback chart reads a few thousand rollup rows instead of joining every chat question of the range
 * with message_feedback (bench/analytics.bench.ts). A vote counts once its question event exists,
 * whichever comes first: the question event is recorded after the reply is on its way, so a customer
 * can vote before it. Triggers on both tables add (and subtract) the votes that meet the other side;
 * both first lock the bot message rows concerned (FOR UPDATE, which a new vote's foreign-key check also
 * conflicts with), so a vote and its question committed concurrently are never both missed nor both
 * counted: whichever runs second waits, then sees the first.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

const HOUR = `date_trunc('hour', e.created_at, 'UTC')`;

/**
 * Adds (sign +1) or subtracts (-1) the votes of `pairs` (rows of e: question_event, v: votes).
 * Subtracting updates rows in place (as question_event's own rollups do): an insert there could
 * reference a KB being deleted in the same statement.
 */
function apply(pairs: string, sign: 1 | -1): string {
  const counts = `e.kb_id, ${HOUR} AS hour, count(*) FILTER (WHERE v.vote = 'up') AS up,
      count(*) FILTER (WHERE v.vote = 'down') AS down FROM ${pairs} GROUP BY 1, 2`;
  return sign === 1
    ? `INSERT INTO question_feedback_hourly AS t (kb_id, hour, up, down)
         SELECT ${counts} ORDER BY 1, 2
       ON CONFLICT (kb_id, hour) DO UPDATE SET up = t.up + EXCLUDED.up, down = t.down + EXCLUDED.down;`
    : `UPDATE question_feedback_hourly t SET up = t.up - d.up, down = t.down - d.down
       FROM (SELECT ${counts}) d WHERE t.kb_id = d.kb_id AND t.hour = d.hour;`;
}

/** Locks the bot messages of a transition table's message_id column, in one order (no deadlocks). */
const lock = (rows: string) =>
  `PERFORM 1 FROM message WHERE id IN (SELECT message_id FROM ${rows} WHERE message_id IS NOT NULL) ORDER BY id FOR UPDATE;`;

export class QuestionFeedbackHourly1766200000001 implements MigrationInterface {
  name = 'QuestionFeedbackHourly1766200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE question_feedback_hourly (
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        hour timestamptz NOT NULL,
        up integer NOT NULL,
        down integer NOT NULL,
        PRIMARY KEY (kb_id, hour)
      )`);
    // A vote finds its question by the bot message that answered it (one row: no INCLUDE needed).
    await q.query(
      `CREATE INDEX question_event_message_idx ON question_event (message_id) WHERE message_id IS NOT NULL`,
    );

    await q.query(`
      CREATE FUNCTION question_feedback_rollup_votes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          ${lock('old_votes')}
          ${apply('old_votes v JOIN question_event e ON e.message_id = v.message_id', -1)}
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          ${lock('new_votes')}
          ${apply('new_votes v JOIN question_event e ON e.message_id = v.message_id', 1)}
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION question_feedback_rollup_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          ${lock('new_events')}
          ${apply('new_events e JOIN message_feedback v ON v.message_id = e.message_id', 1)}
        ELSE
          ${lock('old_events')}
          ${apply('old_events e JOIN message_feedback v ON v.message_id = e.message_id', -1)}
        END IF;
        RETURN NULL;
      END $$`);
    for (const op of ['INSERT', 'UPDATE', 'DELETE'])
      await q.query(`
        CREATE TRIGGER question_feedback_rollup_${op.toLowerCase()} AFTER ${op} ON message_feedback
        REFERENCING ${op === 'INSERT' ? 'NEW TABLE AS new_votes' : op === 'DELETE' ? 'OLD TABLE AS old_votes' : 'OLD TABLE AS old_votes NEW TABLE AS new_votes'}
        FOR EACH STATEMENT EXECUTE FUNCTION question_feedback_rollup_votes()`);
    await q.query(`
      CREATE TRIGGER question_feedback_rollup_insert AFTER INSERT ON question_event
      REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION question_feedback_rollup_events()`);
    await q.query(`
      CREATE TRIGGER question_feedback_rollup_delete AFTER DELETE ON question_event
      REFERENCING OLD TABLE AS old_events FOR EACH STATEMENT EXECUTE FUNCTION question_feedback_rollup_events()`);
    // The votes given before the rollup existed.
    await q.query(apply('message_feedback v JOIN question_event e ON e.message_id = v.message_id', 1));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const op of ['insert', 'delete'])
      await q.query(`DROP TRIGGER question_feedback_rollup_${op} ON question_event`);
    for (const op of ['insert', 'update', 'delete'])
      await q.query(`DROP TRIGGER question_feedback_rollup_${op} ON message_feedback`);
    await q.query(`DROP FUNCTION question_feedback_rollup_events()`);
    await q.query(`DROP FUNCTION question_feedback_rollup_votes()`);
    await q.query(`DROP INDEX question_event_message_idx`);
    await q.query(`DROP TABLE question_feedback_hourly`);
  }
}
