/**
 * Every PostgreSQL query of the chat's conversations (their dialogue session state) and messages
 * (widget keys: WidgetKeysRepository). Messages are appended with the conversation's state in one
 * transaction, their sequence numbers taken from the conversation row, and a customer message whose
 * client id is already stored is refused by the unique constraint: a resend never becomes a second
 * message.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { parseSessionState, type SessionState } from '@wendao/dialogue';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows';
import type { FeedbackVote, MessagePayload, MessageRole } from './chat-message';

export type ConversationStatus = 'open' | 'ended';

export interface Conversation {
  id: string;
  kbId: string;
  widgetKeyId: string | null;
  state: SessionState;
  status: ConversationStatus;
  /** The label of the agent who has the session, while one has it (shown, never compared). */
  agentId: string | null;
  /**
   * Who has it: the agent's principal (`user:<id>`, `key:<id>`, `token:<label>`); null when nobody
   * has it, or for a conversation taken before principals were stored (nobody owns it).
   */
  agentPrincipal: string | null;
  lastSeq: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface StoredMessage {
  seq: number;
  role: MessageRole;
  text: string;
  clientMessageId: string | null;
  payload: MessagePayload | null;
  createdAt: Date;
  /** Bot messages read with their vote (messagesAfter): the customer's vote, null without one. */
  feedback?: FeedbackVote | null;
}

export interface NewMessage {
  role: MessageRole;
  text: string;
  clientMessageId?: string | null;
  payload?: MessagePayload | null;
}

export interface ConversationChange {
  state?: SessionState;
  status?: ConversationStatus;
  /** The agent who now has the session (principal and label), or null: nobody. */
  agent?: { principal: string; name: string } | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ConversationRow {
  id: string;
  kb_id: string;
  widget_key_id: string | null;
  state: SessionState;
  status: ConversationStatus;
  agent_id: string | null;
  agent_principal: string | null;
  last_seq: number;
  created_at: Date;
  updated_at: Date;
}

interface MessageRow {
  seq: number;
  role: MessageRole;
  text: string;
  client_message_id: string | null;
  payload: MessagePayload | null;
  created_at: Date;
  feedback?: FeedbackVote | null;
}

const conversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  kbId: r.kb_id,
  widgetKeyId: r.widget_key_id,
  // Checked, and completed with fields a newer policy added, rather than trusted as it was stored.
  state: parseSessionState(r.state),
  status: r.status,
  agentId: r.agent_id,
  agentPrincipal: r.agent_principal,
  lastSeq: r.last_seq,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const message = (r: MessageRow): StoredMessage => ({
  seq: r.seq,
  role: r.role,
  text: r.text,
  clientMessageId: r.client_message_id,
  payload: r.payload,
  createdAt: r.created_at,
  ...(r.feedback !== undefined ? { feedback: r.feedback } : {}),
});

const CONVERSATION_COLUMNS =
  'id, kb_id, widget_key_id, state, status, agent_id, agent_principal, last_seq, created_at, updated_at';
const MESSAGE_COLUMNS = 'seq, role, text, client_message_id, payload, created_at';

/** A client id already stored in the conversation (another replica took the same resend first). */
class DuplicateClientId extends Error {}

/**
 * The conversation changed since it was read (a turn on another replica): the caller reads it
 * again and redoes its turn, so no state update is lost.
 */
export class StaleConversation extends Error {}

@Injectable()
export class ChatRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async createConversation(kbId: string, widgetKeyId: string, state: SessionState): Promise<Conversation> {
    const rows: ConversationRow[] = await this.db.query(
      `INSERT INTO conversation (id, kb_id, widget_key_id, state) VALUES ($1, $2, $3, $4)
       RETURNING ${CONVERSATION_COLUMNS}`,
      [state.id, kbId, widgetKeyId, state],
    );
    return conversation(rows[0]);
  }

  async conversation(id: string): Promise<Conversation | null> {
    if (!UUID.test(id)) return null;
    const rows: ConversationRow[] = await this.db.query(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversation WHERE id = $1`,
      [id],
    );
    return rows[0] ? conversation(rows[0]) : null;
  }

  /** Open conversations queued for an agent, oldest first. */
  async waitingForAgent(): Promise<Conversation[]> {
    const rows: ConversationRow[] = await this.db.query(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversation
       WHERE status = 'open' AND state->>'handoff' = 'waiting_for_agent' ORDER BY updated_at`,
    );
    return rows.map(conversation);
  }

  /** The open conversations an agent has, oldest first (conversation_agent_principal_idx). */
  async withAgent(principal: string): Promise<Conversation[]> {
    const rows: ConversationRow[] = await this.db.query(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversation
       WHERE status = 'open' AND agent_principal = $1 AND state->>'handoff' = 'with_agent'
       ORDER BY updated_at`,
      [principal],
    );
    return rows.map(conversation);
  }

  /** Who has each open conversation that is with an agent (null: taken before principals were stored). */
  async agentPrincipals(): Promise<(string | null)[]> {
    const rows: { agent_principal: string | null }[] = await this.db.query(
      `SELECT DISTINCT agent_principal FROM conversation
       WHERE status = 'open' AND state->>'handoff' = 'with_agent'`,
    );
    return rows.map((r) => r.agent_principal);
  }

  /** Open conversations with an agent but no principal (taken before principals were stored). */
  async withUnknownAgent(): Promise<Conversation[]> {
    const rows: ConversationRow[] = await this.db.query(
      `SELECT ${CONVERSATION_COLUMNS} FROM conversation
       WHERE status = 'open' AND agent_principal IS NULL AND state->>'handoff' = 'with_agent'`,
    );
    return rows.map(conversation);
  }

  /** Whether the customer left a message for an agent in the conversation (message_left_for_agent_idx). */
  async hasLeftMessage(conversationId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM message m
       WHERE m.conversation_id = $1 AND m.role = 'customer' AND (m.payload->>'leftForAgent') = 'true'
       LIMIT 1`,
      [conversationId],
    );
    return rows.length > 0;
  }

  async messageByClientId(conversationId: string, clientMessageId: string): Promise<StoredMessage | null> {
    const rows: MessageRow[] = await this.db.query(
      `SELECT ${MESSAGE_COLUMNS} FROM message WHERE conversation_id = $1 AND client_message_id = $2`,
      [conversationId, clientMessageId],
    );
    return rows[0] ? message(rows[0]) : null;
  }

  /**
   * The conversation's messages after `afterSeq`, oldest first, at most `limit` (the latest ones),
   * each with the customer's vote on it: a replayed history shows the votes already given.
   */
  async messagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    const rows: MessageRow[] = await this.db.query(
      `SELECT latest.*, f.vote AS feedback FROM (
         SELECT id, ${MESSAGE_COLUMNS} FROM message WHERE conversation_id = $1 AND seq > $2
         ORDER BY seq DESC LIMIT $3
       ) latest LEFT JOIN message_feedback f ON f.message_id = latest.id
       ORDER BY latest.seq`,
      [conversationId, afterSeq, limit],
    );
    return rows.map(message);
  }

  /**
   * Appends messages (numbered after the conversation's last) and applies the change to the
   * conversation, in one transaction. Null when a message's client id is already stored. With
   * `readAtSeq` (the conversation's lastSeq when it was read) a conversation changed since throws
   * StaleConversation.
   */
  async append(
    conversationId: string,
    messages: NewMessage[],
    change: ConversationChange = {},
    readAtSeq?: number,
  ): Promise<StoredMessage[] | null> {
    try {
      return await this.db.transaction(async (tx) => {
        const lastSeq = await this.update(tx, conversationId, change, messages.length, readAtSeq);
        const stored: StoredMessage[] = [];
        let seq = lastSeq - messages.length;
        for (const m of messages) {
          const rows: MessageRow[] = await tx.query(
            `INSERT INTO message (conversation_id, seq, client_message_id, role, text, payload)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (conversation_id, client_message_id) DO NOTHING
             RETURNING ${MESSAGE_COLUMNS}`,
            [conversationId, ++seq, m.clientMessageId ?? null, m.role, m.text, m.payload ?? null],
          );
          if (!rows[0]) throw new DuplicateClientId();
          stored.push(message(rows[0]));
        }
        return stored;
      });
    } catch (err) {
      if (err instanceof DuplicateClientId) return null;
      throw err;
    }
  }

  /** Changes the conversation without adding a message. */
  async change(conversationId: string, change: ConversationChange): Promise<void> {
    await this.update(this.db.manager, conversationId, change, 0);
  }

  /** The bot message `seq` of the conversation with its answer type (null without retrieval); null when there is none. */
  async botMessage(conversationId: string, seq: number): Promise<{ id: string; type: string | null } | null> {
    const rows: { id: string; type: string | null }[] = await this.db.query(
      `SELECT id, payload->>'type' AS type FROM message WHERE conversation_id = $1 AND seq = $2 AND role = 'bot'`,
      [conversationId, seq],
    );
    return rows[0] ?? null;
  }

  /** Records (or replaces) the customer's vote on a bot message. */
  async storeFeedback(messageId: string, vote: FeedbackVote, comment: string | null): Promise<void> {
    await this.db.query(
      `INSERT INTO message_feedback (message_id, vote, comment) VALUES ($1, $2, $3)
       ON CONFLICT (message_id) DO UPDATE SET vote = EXCLUDED.vote, comment = EXCLUDED.comment, updated_at = now()`,
      [messageId, vote, comment],
    );
  }

  /** Updates the conversation row (locking it) and takes `count` sequence numbers; returns the new last one. */
  private async update(
    tx: EntityManager,
    conversationId: string,
    change: ConversationChange,
    count: number,
    readAtSeq?: number,
  ): Promise<number> {
    const rows = returningRows<{ last_seq: number }>(
      await tx.query(
        `UPDATE conversation SET
         last_seq = last_seq + $2,
         state = COALESCE($3::jsonb, state),
         status = COALESCE($4, status),
         agent_id = CASE WHEN $5 THEN $6 ELSE agent_id END,
         agent_principal = CASE WHEN $5 THEN $8 ELSE agent_principal END,
         updated_at = now()
       WHERE id = $1 AND ($7::integer IS NULL OR last_seq = $7) RETURNING last_seq`,
        [
          conversationId,
          count,
          change.state ? JSON.stringify(change.state) : null,
          change.status ?? null,
          change.agent !== undefined,
          change.agent?.name ?? null,
          readAtSeq ?? null,
          change.agent?.principal ?? null,
        ],
      ),
    );
    if (!rows[0] && readAtSeq !== undefined) throw new StaleConversation();
    if (!rows[0]) throw new Error(`conversation ${conversationId} does not exist`);
    return rows[0].last_seq;
  }
}
