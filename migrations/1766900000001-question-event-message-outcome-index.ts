/**
 * The index the answers' feedback reads in half-hour zones carries the outcome too. Since
 * 1766900000000 that query (analytics.repository.ts, feedback) counts votes on answers only
 * (outcome faq or extracted); the index of 1765400000000 held kb_id, created_at and message_id, so
 * each of the range's events was fetched from the table to read its outcome: the feedback chart of
 * the largest KB over 30 days in Asia/Kolkata went from 45 ms to 359 ms at p95
 * (bench/analytics.bench.ts, 1M events). With the outcome in the index it is an index-only scan again.
 * The unanswered list's thumbs-down half (outcome <> 'fallback') reads the same index.
 *
 * Building it blocks writes to question_event for the build (a few seconds per million events);
 * CREATE INDEX CONCURRENTLY cannot run inside the migrations' transaction.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class QuestionEventMessageOutcomeIndex1766900000001 implements MigrationInterface {
  name = 'QuestionEventMessageOutcomeIndex1766900000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX question_event_kb_time_message_idx`);
    await q.query(`
      CREATE INDEX question_event_kb_time_message_idx ON question_event (kb_id, created_at)
      INCLUDE (message_id, outcome) WHERE message_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX question_event_kb_time_message_idx`);
    await q.query(`
      CREATE INDEX question_event_kb_time_message_idx ON question_event (kb_id, created_at)
      INCLUDE (message_id) WHERE message_id IS NOT NULL`);
  }
}
