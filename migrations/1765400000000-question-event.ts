/**
 * The analytics event log (issue 15): one row per customer question, from the chat and the REST ask
 * alike, with what the bot did about it. The dashboard aggregates it per KB over a date range, so the
 * indexes lead with (kb_id, created_at) and carry the columns each chart reads (index-only scans).
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class QuestionEvent1765400000000 implements MigrationInterface {
  name = 'QuestionEvent1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE question_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('chat', 'api')),
        -- The chat conversation, or the REST ask's free-form sessionId.
        conversation_id text,
        -- The bot message that answered (chat only): message_feedback joins on it.
        message_id uuid,
        question text NOT NULL,
        -- normalizeQuestion(question): unanswered questions are grouped by it.
        question_normalized text NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('faq', 'extracted', 'clarify', 'fallback', 'handoff')),
        handoff_reason text CHECK (handoff_reason IN ('customer_request', 'consecutive_fallbacks')),
        faq_id uuid,
        intent text,
        confidence real,
        latency_ms real NOT NULL CHECK (latency_ms >= 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((outcome = 'handoff') = (handoff_reason IS NOT NULL))
      )`);
    // Messages per day, outcome rates, latency percentiles.
    await q.query(`
      CREATE INDEX question_event_kb_time_idx ON question_event (kb_id, created_at)
      INCLUDE (outcome, latency_ms)`);
    await q.query(`
      CREATE INDEX question_event_kb_time_intent_idx ON question_event (kb_id, created_at)
      INCLUDE (intent) WHERE intent IS NOT NULL`);
    await q.query(`
      CREATE INDEX question_event_kb_time_unanswered_idx ON question_event (kb_id, created_at)
      INCLUDE (question_normalized)
      WHERE outcome = 'fallback' OR handoff_reason = 'consecutive_fallbacks'`);
    await q.query(`
      CREATE INDEX question_event_kb_time_message_idx ON question_event (kb_id, created_at)
      INCLUDE (message_id) WHERE message_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE question_event`);
  }
}
