/**
 * Reads of the chat's log for the admin console: conversations with per-conversation counts of
 * answered, fallback and handoff turns and feedback votes, filtered and paged in SQL; one
 * conversation's transcript with each message's feedback.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { containsPattern, type ListPage } from '../common/list-query.dto';
import type { MessagePayload, MessageRole } from '../chat/chat-message';
import type { ConversationListQueryDto } from './conversation-query.dto';

export interface ConversationSummary {
  id: string;
  status: 'open' | 'ended';
  agentId: string | null;
  firstQuestion: string | null;
  messages: number;
  customerMessages: number;
  answered: number;
  fallbacks: number;
  handoffs: number;
  feedback: { up: number; down: number };
  createdAt: Date;
  updatedAt: Date;
}

export interface TranscriptMessage {
  seq: number;
  role: MessageRole;
  text: string;
  payload: MessagePayload | null;
  feedback: { vote: 'up' | 'down'; comment: string | null } | null;
  /**
   * Bot replies: the intent the analytics log labelled the customer's question with (the intent
   * classifier's, or the matched FAQ entry's question where the KB has none); null otherwise.
   */
  intent: string | null;
  /** A message left for an agent (payload.leftForAgent): when an agent marked it handled, and who. */
  handledAt: Date | null;
  handledBy: string | null;
  createdAt: Date;
}

export interface Transcript extends Omit<
  ConversationSummary,
  'firstQuestion' | 'messages' | 'customerMessages' | 'answered' | 'fallbacks' | 'handoffs' | 'feedback'
> {
  messages: TranscriptMessage[];
}

// Per-conversation counts, one pass over its messages (the (conversation_id, seq) unique index).
const STATS = `
  SELECT count(*)::int AS messages,
         count(*) FILTER (WHERE m.role = 'customer')::int AS customer_messages,
         count(*) FILTER (WHERE m.role = 'bot' AND m.payload->>'type' IN ('faq', 'extracted'))::int AS answered,
         count(*) FILTER (WHERE m.role = 'bot' AND m.payload->>'type' = 'fallback')::int AS fallbacks,
         count(*) FILTER (WHERE m.role = 'agent' OR (m.role = 'bot' AND m.payload->>'kind' = 'handoff'))::int AS handoffs,
         (array_agg(m.text ORDER BY m.seq) FILTER (WHERE m.role = 'customer'))[1] AS first_question,
         count(f.vote) FILTER (WHERE f.vote = 'up')::int AS ups,
         count(f.vote) FILTER (WHERE f.vote = 'down')::int AS downs
    FROM message m LEFT JOIN message_feedback f ON f.message_id = m.id
   WHERE m.conversation_id = c.id`;

interface SummaryRow {
  id: string;
  status: 'open' | 'ended';
  agent_id: string | null;
  created_at: Date;
  updated_at: Date;
  messages: number;
  customer_messages: number;
  answered: number;
  fallbacks: number;
  handoffs: number;
  first_question: string | null;
  ups: number;
  downs: number;
}

@Injectable()
export class ConversationsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async list(kbId: string, query: ConversationListQueryDto): Promise<ListPage<ConversationSummary>> {
    const params: unknown[] = [kbId];
    const where = ['c.kb_id = $1'];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.from) where.push(`c.created_at >= ${param(query.from)}::timestamptz`);
    if (query.to) where.push(`c.created_at < ${param(query.to)}::timestamptz`);
    if (query.outcome === 'answered') where.push('s.answered > 0');
    if (query.outcome === 'fallback') where.push('s.fallbacks > 0');
    if (query.outcome === 'handoff') where.push('(s.handoffs > 0 OR c.agent_id IS NOT NULL)');
    if (query.feedback === 'up') where.push('s.ups > 0');
    if (query.feedback === 'down') where.push('s.downs > 0');
    if (query.feedback === 'any') where.push('s.ups + s.downs > 0');
    if (query.q?.trim())
      where.push(
        `EXISTS (SELECT 1 FROM message q WHERE q.conversation_id = c.id AND q.text ILIKE ${param(containsPattern(query.q.trim()))})`,
      );
    const from = `FROM conversation c CROSS JOIN LATERAL (${STATS}) s WHERE ${where.join(' AND ')}`;
    const [{ total }]: { total: number }[] = await this.db.query(
      `SELECT count(*)::int AS total ${from}`,
      params,
    );
    const limit = query.limit === undefined ? '' : ` LIMIT ${param(query.limit)}`;
    const offset = query.offset ? ` OFFSET ${param(query.offset)}` : '';
    const rows: SummaryRow[] = await this.db.query(
      `SELECT c.id, c.status, c.agent_id, c.created_at, c.updated_at, s.* ${from}
        ORDER BY c.updated_at DESC, c.id${limit}${offset}`,
      params,
    );
    return {
      total,
      items: rows.map((r) => ({
        id: r.id,
        status: r.status,
        agentId: r.agent_id,
        firstQuestion: r.first_question,
        messages: r.messages,
        customerMessages: r.customer_messages,
        answered: r.answered,
        fallbacks: r.fallbacks,
        handoffs: r.handoffs,
        feedback: { up: r.ups, down: r.downs },
        createdAt: r.created_at,
        updatedAt: r.updated_at,
      })),
    };
  }

  async transcript(kbId: string, conversationId: string): Promise<Transcript | null> {
    const [c]: {
      id: string;
      status: 'open' | 'ended';
      agent_id: string | null;
      created_at: Date;
      updated_at: Date;
    }[] = await this.db.query(
      `SELECT id, status, agent_id, created_at, updated_at FROM conversation WHERE id = $1 AND kb_id = $2`,
      [conversationId, kbId],
    );
    if (!c) return null;
    const messages: {
      seq: number;
      role: MessageRole;
      text: string;
      payload: MessagePayload | null;
      vote: 'up' | 'down' | null;
      comment: string | null;
      intent: string | null;
      handled_at: Date | null;
      handled_by: string | null;
      created_at: Date;
    }[] = await this.db.query(
      // question_event_message_idx finds each bot reply's event (one per reply; the first if ever more).
      `SELECT m.seq, m.role, m.text, m.payload, f.vote, f.comment, e.intent, m.handled_at, m.handled_by, m.created_at
         FROM message m
         LEFT JOIN message_feedback f ON f.message_id = m.id
         LEFT JOIN LATERAL (
           SELECT intent FROM question_event
            WHERE message_id = m.id AND kb_id = $2 ORDER BY id LIMIT 1
         ) e ON true
        WHERE m.conversation_id = $1 ORDER BY m.seq`,
      [conversationId, kbId],
    );
    return {
      id: c.id,
      status: c.status,
      agentId: c.agent_id,
      createdAt: c.created_at,
      updatedAt: c.updated_at,
      messages: messages.map((m) => ({
        seq: m.seq,
        role: m.role,
        text: m.text,
        payload: m.payload,
        feedback: m.vote ? { vote: m.vote, comment: m.comment } : null,
        intent: m.intent,
        handledAt: m.handled_at,
        handledBy: m.handled_by,
        createdAt: m.created_at,
      })),
    };
  }
}
