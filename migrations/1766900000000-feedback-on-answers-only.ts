/**
 * The feedback rollup counts votes on answers only (question outcome faq or extracted). Since d2bfd45
 * the chat refuses a vote on a clarification, fallback, small talk or handoff notice, but votes stored
 * before it still counted in the thumbs-up ratio, which is a verdict on answers given. Those votes are
 * kept in message_feedback as they are; only question_feedback_hourly (derived) is rebuilt.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outcomes whose votes count, written here rather than imported: a migration's SQL must stay what
 * it was when it was applied. analytics.repository.ts's event path filters on the same list.
 */
const ANSWER = `e.outcome IN ('faq', 'extracted')`;

const HOUR = `date_trunc('hour', e.created_at, 'UTC')`;

/**
 * Adds (sign +1) or subtracts (-1) the votes of `pairs` (rows of e: question_event, v: votes), as in
 * 1766200000001, counting only the pairs that pass `where`.
 */
function apply(pairs: string, where: string, sign: 1 | -1): string {
  const counts = `e.kb_id, ${HOUR} AS hour, count(*) FILTER (WHERE v.vote = 'up') AS up,
      count(*) FILTER (WHERE v.vote = 'down') AS down FROM ${pairs} WHERE ${where} GROUP BY 1, 2`;
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

/**
 * The two trigger functions of 1766200000001 with `where` on the counted pairs. CREATE OR REPLACE keeps
 * the functions' identity, so the triggers on message_feedback and question_event stay as they are.
 * The locks are unchanged: a vote may still come before its question, whatever the outcome.
 */
async function replaceTriggerFunctions(q: QueryRunner, where: string): Promise<void> {
  await q.query(`
    CREATE OR REPLACE FUNCTION question_feedback_rollup_votes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN
        ${lock('old_votes')}
        ${apply('old_votes v JOIN question_event e ON e.message_id = v.message_id', where, -1)}
      END IF;
      IF TG_OP IN ('INSERT', 'UPDATE') THEN
        ${lock('new_votes')}
        ${apply('new_votes v JOIN question_event e ON e.message_id = v.message_id', where, 1)}
      END IF;
      RETURN NULL;
    END $$`);
  await q.query(`
    CREATE OR REPLACE FUNCTION question_feedback_rollup_events() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        ${lock('new_events')}
        ${apply('new_events e JOIN message_feedback v ON v.message_id = e.message_id', where, 1)}
      ELSE
        ${lock('old_events')}
        ${apply('old_events e JOIN message_feedback v ON v.message_id = e.message_id', where, -1)}
      END IF;
      RETURN NULL;
    END $$`);
}

/**
 * Replaces the trigger functions and recounts question_feedback_hourly from the base tables.
 *
 * Locks: SHARE ROW EXCLUSIVE on question_event and message_feedback, for the rest of the migration's
 * transaction. It conflicts with the ROW EXCLUSIVE lock every INSERT/UPDATE/DELETE takes, and with
 * itself, but not with reads. So (1) LOCK waits for the writers already in flight (a replica of the
 * previous version still recording events or votes during a rolling upgrade): they commit under the
 * old functions before the recount reads, and the recount sees their rows; (2) writers arriving later
 * wait for the commit and then run the new functions (plpgsql reloads a function whose definition
 * changed) against the recounted rollup. No vote is counted by both the recount and a trigger, none by
 * neither. Without the locks, a vote on a clarification still uncommitted when the recount ran (added
 * by the old function to a rollup row the DELETE cannot see yet) stays counted once it commits
 * (feedback-on-answers-only.spec's vote in flight). Readers are not blocked (the dashboard keeps
 * reading the old rollup until the commit), hence DELETE rather than TRUNCATE, whose ACCESS EXCLUSIVE
 * lock would stop them too. A second server migrating at once waits on the lock; the recount is
 * idempotent.
 * The wait is for the chat's and the recorder's short transactions; a KB deletion cascading into both
 * tables at that moment can deadlock with it, and PostgreSQL then aborts one of the two (a failed
 * migration leaves the schema as it was and runs again at the next start).
 */
async function recount(q: QueryRunner, where: string): Promise<void> {
  await q.query(`LOCK TABLE question_event, message_feedback IN SHARE ROW EXCLUSIVE MODE`);
  await replaceTriggerFunctions(q, where);
  await q.query(`DELETE FROM question_feedback_hourly`);
  await q.query(apply('message_feedback v JOIN question_event e ON e.message_id = v.message_id', where, 1));
}

export class FeedbackOnAnswersOnly1766900000000 implements MigrationInterface {
  name = 'FeedbackOnAnswersOnly1766900000000';

  async up(q: QueryRunner): Promise<void> {
    await recount(q, ANSWER);
  }

  /** Back to 1766200000001's rollup: every vote whose question event exists counts. */
  async down(q: QueryRunner): Promise<void> {
    await recount(q, 'true');
  }
}
