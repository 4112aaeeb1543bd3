/**
 * The chat (issue 13): widget keys (a public key scoped to one KB and the origins allowed to use it),
 * conversations with their dialogue session state, every message with a per-conversation sequence
 * number and the client's message id (a resend is recognised, never processed twice), and feedback.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class Chat1765200000000 implements MigrationInterface {
  name = 'Chat1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE widget_key (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key text NOT NULL UNIQUE,
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        allowed_origins text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX widget_key_kb_idx ON widget_key (kb_id)`);
    await q.query(`
      CREATE TABLE conversation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        widget_key_id uuid REFERENCES widget_key(id) ON DELETE SET NULL,
        state jsonb NOT NULL,
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'ended')),
        agent_id text,
        last_seq integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX conversation_kb_idx ON conversation (kb_id, updated_at DESC)`);
    await q.query(`
      CREATE TABLE message (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
        seq integer NOT NULL,
        client_message_id text,
        role text NOT NULL CHECK (role IN ('customer', 'bot', 'agent', 'system')),
        text text NOT NULL,
        payload jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT message_conversation_seq_unique UNIQUE (conversation_id, seq),
        CONSTRAINT message_conversation_client_id_unique UNIQUE (conversation_id, client_message_id)
      )`);
    await q.query(`
      CREATE TABLE message_feedback (
        message_id uuid PRIMARY KEY REFERENCES message(id) ON DELETE CASCADE,
        vote text NOT NULL CHECK (vote IN ('up', 'down')),
        comment text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE message_feedback`);
    await q.query(`DROP TABLE message`);
    await q.query(`DROP TABLE conversation`);
    await q.query(`DROP TABLE widget_key`);
  }
}
