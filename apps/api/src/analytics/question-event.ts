/**
 * What the analytics log records of one customer question (a row of question_event), and how the REST
 * ask's answer and a chat turn become one. The intent is the matched FAQ entry's question until an
 * intent classifier labels messages.
 */
import type { AnswerOutcome } from '@wendao/answer';
import type { DialogueEvent, TurnResult } from '@wendao/dialogue';

export type QuestionChannel = 'chat' | 'api';
export type QuestionOutcome = 'faq' | 'extracted' | 'clarify' | 'fallback' | 'handoff';
export type HandoffReason = 'customer_request' | 'consecutive_fallbacks';

export const QUESTION_OUTCOMES: readonly QuestionOutcome[] = [
  'faq',
  'extracted',
  'clarify',
  'fallback',
  'handoff',
];

export interface QuestionEvent {
  kbId: string;
  channel: QuestionChannel;
  conversationId: string | null;
  /** Chat: the bot message's seq in the conversation (its id is looked up on insert). */
  botMessageSeq: number | null;
  question: string;
  outcome: QuestionOutcome;
  handoffReason: HandoffReason | null;
  faqId: string | null;
  intent: string | null;
  confidence: number | null;
  latencyMs: number;
  /** Default: when it was recorded (the bench and tests set it). */
  createdAt?: Date;
}

function matchedFaq(outcome: AnswerOutcome | null): { faqId: string | null; intent: string | null } {
  const source = outcome?.source;
  if (!outcome || (outcome.type !== 'faq' && outcome.type !== 'extracted') || source?.kind !== 'faq')
    return { faqId: null, intent: null };
  return { faqId: source.id, intent: source.question };
}

/** A REST ask's answer. */
export function askQuestionEvent(
  kbId: string,
  question: string,
  answer: AnswerOutcome,
  latencyMs: number,
  sessionId?: string,
): QuestionEvent {
  return {
    kbId,
    channel: 'api',
    conversationId: sessionId ?? null,
    botMessageSeq: null,
    question,
    outcome: answer.type,
    handoffReason: null,
    ...matchedFaq(answer),
    confidence: answer.confidence,
    latencyMs,
  };
}

const handoffReasonOf = (events: DialogueEvent[]): HandoffReason | null => {
  for (const e of events)
    if (e.type === 'handoff_requested' || e.type === 'agent_unavailable') return e.reason;
  return null;
};

/**
 * A chat turn, or null when the turn was no question to the bot: small talk, a message for the agent
 * who has the session, a left message, or the pick of a clarification's option (the question was
 * recorded when it was asked, as a clarify).
 */
export function chatQuestionEvent(
  kbId: string,
  conversationId: string,
  text: string,
  result: Pick<TurnResult, 'reply' | 'events' | 'session'>,
  botMessageSeq: number | null,
  latencyMs: number,
): QuestionEvent | null {
  const reply = result.reply;
  if (!reply || (reply.kind !== 'answer' && reply.kind !== 'handoff')) return null;
  if (result.session.turns.at(-1)?.kind === 'clarify_pick') return null;
  const handoffReason =
    reply.kind === 'handoff' ? (handoffReasonOf(result.events) ?? 'customer_request') : null;
  const answer = reply.answer;
  return {
    kbId,
    channel: 'chat',
    conversationId,
    botMessageSeq,
    question: text,
    outcome: handoffReason ? 'handoff' : answer!.type,
    handoffReason,
    ...matchedFaq(answer),
    confidence: answer?.confidence ?? null,
    latencyMs,
  };
}
