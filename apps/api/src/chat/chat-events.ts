/**
 * The payloads clients send on /chat, checked at the edge: each parser returns the typed payload or
 * throws a ChatError('invalid_payload') naming the field. Lengths of message text are the service's
 * decision (a configured limit with its own error code); these only bound ids and shapes.
 */
import { unsafeTextReason } from '../common/safe-text.pipe';
import { ChatError } from './chat-error';

export interface SessionStartPayload {
  sessionId?: string;
  lastSeq?: number;
  /**
   * The widget's language: a mixed KB's reply language until the customer writes words. Given at a
   * resume and other than the session's, it is the reply language again from then on.
   */
  language?: 'zh' | 'en';
}
export interface CustomerMessagePayload {
  clientId: string;
  text: string;
  quickReplyId?: string;
}
export interface FeedbackPayload {
  seq: number;
  vote: 'up' | 'down';
  comment?: string;
}
export interface HandoffRequestPayload {
  clientId?: string;
}
export interface AgentJoinPayload {
  /** WENDAO_AGENT_TOKEN; not needed by an agent socket that connected signed in or with an API key. */
  token?: string;
  name?: string;
  /**
   * A token agent's resume code, as its first `agent:join` answered it: the same agent again (a
   * reconnect, a reloaded console), with the sessions it took. Without one, a new agent.
   */
  resume?: string;
}
export interface AgentSessionPayload {
  sessionId: string;
}
export interface AgentMessagePayload {
  sessionId: string;
  text: string;
}

const MAX_ID_LENGTH = 100;
/** Longest comment or text accepted at the edge at all (the configured limit is checked later). */
const MAX_TEXT_LENGTH = 100_000;

type Fields = Record<string, unknown>;

function fields(data: unknown, event: string): Fields {
  if (data === undefined || data === null) data = {};
  if (typeof data !== 'object' || Array.isArray(data))
    throw new ChatError('invalid_payload', `${event} expects an object`);
  return data as Fields;
}

function text(f: Fields, key: string, event: string, required: true, max?: number): string;
function text(f: Fields, key: string, event: string, required: false, max?: number): string | undefined;
function text(f: Fields, key: string, event: string, required: boolean, max = MAX_TEXT_LENGTH) {
  const value = f[key];
  if (value === undefined || value === null) {
    if (required) throw new ChatError('invalid_payload', `${event}: ${key} is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new ChatError('invalid_payload', `${event}: ${key} must be a string`);
  if (value.length > max)
    throw new ChatError('invalid_payload', `${event}: ${key} is longer than ${max} characters`);
  const unsafe = unsafeTextReason(value);
  if (unsafe) throw new ChatError('invalid_payload', `${event}: ${key} ${unsafe}`);
  return value;
}

function id(f: Fields, key: string, event: string, required: boolean): string | undefined {
  const value = required
    ? text(f, key, event, true, MAX_ID_LENGTH)
    : text(f, key, event, false, MAX_ID_LENGTH);
  if (value !== undefined && !value.trim())
    throw new ChatError('invalid_payload', `${event}: ${key} must not be empty`);
  return value;
}

function seq(f: Fields, key: string, event: string, required: boolean): number | undefined {
  const value = f[key];
  if (value === undefined || value === null) {
    if (required) throw new ChatError('invalid_payload', `${event}: ${key} is required`);
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2 ** 31 - 1)
    throw new ChatError('invalid_payload', `${event}: ${key} must be a non-negative integer`);
  return value;
}

export function parseSessionStart(data: unknown): SessionStartPayload {
  const f = fields(data, 'session:start');
  const language = f.language ?? undefined;
  if (language !== undefined && language !== 'zh' && language !== 'en')
    throw new ChatError('invalid_payload', `session:start: language must be 'zh' or 'en'`);
  return {
    sessionId: id(f, 'sessionId', 'session:start', false),
    lastSeq: seq(f, 'lastSeq', 'session:start', false),
    ...(language ? { language } : {}),
  };
}

export function parseCustomerMessage(data: unknown): CustomerMessagePayload {
  const f = fields(data, 'message');
  return {
    clientId: id(f, 'clientId', 'message', true)!,
    text: text(f, 'text', 'message', true),
    quickReplyId: id(f, 'quickReplyId', 'message', false),
  };
}

export function parseFeedback(data: unknown): FeedbackPayload {
  const f = fields(data, 'feedback');
  const vote = f.vote;
  if (vote !== 'up' && vote !== 'down')
    throw new ChatError('invalid_payload', `feedback: vote must be 'up' or 'down'`);
  return { seq: seq(f, 'seq', 'feedback', true)!, vote, comment: text(f, 'comment', 'feedback', false) };
}

export function parseHandoffRequest(data: unknown): HandoffRequestPayload {
  const f = fields(data, 'handoff:request');
  return { clientId: id(f, 'clientId', 'handoff:request', false) };
}

/** What `agent:join` answers a token agent as `resume`: 18 random bytes, base64url. */
export const RESUME_CODE = /^[A-Za-z0-9_-]{24}$/;

export function parseAgentJoin(data: unknown): AgentJoinPayload {
  const f = fields(data, 'agent:join');
  const resume = text(f, 'resume', 'agent:join', false, 100);
  if (resume !== undefined && !RESUME_CODE.test(resume))
    throw new ChatError(
      'invalid_payload',
      'agent:join: resume must be the code an earlier agent:join answered',
    );
  return {
    token: text(f, 'token', 'agent:join', false, 1000),
    name: id(f, 'name', 'agent:join', false),
    resume,
  };
}

export function parseAgentSession(data: unknown, event: string): AgentSessionPayload {
  return { sessionId: id(fields(data, event), 'sessionId', event, true)! };
}

export function parseAgentMessage(data: unknown): AgentMessagePayload {
  const f = fields(data, 'agent:message');
  return {
    sessionId: id(f, 'sessionId', 'agent:message', true)!,
    text: text(f, 'text', 'agent:message', true),
  };
}
