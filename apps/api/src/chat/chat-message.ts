/**
 * A chat message as stored (role, text, payload) and as the client receives it (`ChatMessageView`):
 * one shape for live events and for the replay after a reconnect. A bot message's payload is the
 * dialogue's reply: the answer pipeline's outcome without its internals (evidence, timings).
 */
import type { AnswerDecision, AnswerMode, AnswerOutcome, AnswerType, ClarifyOption } from '@wendao/answer';
import type { BotReply, QuickReply, ReplyKind } from '@wendao/dialogue';

export type MessageRole = 'customer' | 'bot' | 'agent' | 'system';

export type FeedbackVote = 'up' | 'down';

export interface MessagePayload {
  /** Bot: what the reply is (an answer, small talk, a handoff notice, a left message's receipt). */
  kind?: ReplyKind;
  /** Bot answers: the answer pipeline's outcome type; null for replies without retrieval. */
  type?: AnswerType | null;
  mode?: AnswerMode | null;
  /** Bot answers: the FAQ entry or passage the answer comes from, with the answer's offsets into it. */
  source?: AnswerOutcome['source'];
  confidence?: number | null;
  /** Clarifications: the entries offered. */
  options?: ClarifyOption[];
  /** Fallbacks: questions the KB can answer. */
  suggestions?: string[];
  quickReplies?: QuickReply[];
  /** The question retrieval was asked (the rewrite for a follow-up). */
  question?: string | null;
  /** Set when the customer's message was rewritten with the conversation's topic. */
  rewrittenQuestion?: string | null;
  kbVersion?: number;
  /** Why the pipeline decided so, in English words (for the log; every stored bot answer has it). */
  reason?: string;
  /**
   * The same decision as a code and numbers, for the admin console to word in its language. Absent
   * in messages stored before it existed: readers fall back to `reason`.
   */
  decision?: AnswerDecision;
  /** Customer: the quick reply pressed. */
  quickReplyId?: string;
  /** Customer: a message left for an agent while none was online. */
  leftForAgent?: boolean;
  /** Agent and system messages: who, and what happened (agent_joined, handed_back, closed, ended). */
  agentId?: string;
  event?: string;
}

export interface ChatMessageView extends MessagePayload {
  sessionId: string;
  seq: number;
  role: MessageRole;
  text: string;
  /** Customer messages: the client's own message id. */
  clientId?: string;
  createdAt: string;
  /** Bot messages in a replayed history: the customer's vote on it (absent without one). */
  feedback?: FeedbackVote;
}

/** What the customer sees of the bot's reply (stored as the bot message's payload). */
export function botPayload(reply: BotReply): MessagePayload {
  const answer = reply.answer;
  return {
    kind: reply.kind,
    type: answer?.type ?? null,
    mode: answer?.mode ?? null,
    source: answer?.source ?? null,
    confidence: answer?.confidence ?? null,
    options: answer?.options ?? [],
    suggestions: answer?.suggestions ?? [],
    quickReplies: reply.quickReplies,
    question: reply.question,
    rewrittenQuestion: reply.rewrittenQuestion,
    ...(answer
      ? { kbVersion: answer.kbVersion, reason: answer.evidence.reason, decision: answer.evidence.decision }
      : {}),
  };
}

/**
 * The bot's line when a session leaves its agent (released by them, or given back because they
 * left): none when the policy says nothing. Only the event and whose session it was differ.
 */
export function handBackMessages(
  reply: BotReply | null,
  event: 'handed_back' | 'closed',
  agentId: string | undefined,
): { role: 'bot'; text: string; payload: MessagePayload }[] {
  if (!reply) return [];
  const payload = { ...botPayload(reply), event, ...(agentId !== undefined ? { agentId } : {}) };
  return [{ role: 'bot', text: reply.text, payload }];
}
