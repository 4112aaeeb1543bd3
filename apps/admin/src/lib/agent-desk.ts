/**
 * The agent's side of the chat (socket.io /chat, docs/chat.md) as plain state transitions: the
 * queue of sessions waiting for an agent, the inbox of messages left while nobody was online (listed
 * over REST, arriving live, marked handled by any agent: merged by session and seq), and the sessions
 * this agent has taken with their messages — restored from `agent:join` after a reconnect or a reload,
 * since they stay this agent's. The page feeds events in and renders the state.
 */
export interface DeskMessage {
  sessionId: string;
  seq: number;
  role: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  agentId?: string;
  event?: string;
  createdAt: string;
}

export interface QueuedSession {
  sessionId: string;
  kbId: string;
  reason: 'customer_request' | 'consecutive_fallbacks';
  text?: string;
  since: string;
}

/** A message left for an agent: GET /api/agent/left-messages, agent:message-left. */
export interface LeftMessage {
  sessionId: string;
  seq: number;
  kbId: string;
  kbName: string;
  text: string;
  contact: { phones: string[]; emails: string[] };
  createdAt: string;
  handled: boolean;
  handledAt: string | null;
  handledBy: string | null;
}

export interface DeskState {
  queue: QueuedSession[];
  /** Left messages, newest first, each once. */
  left: LeftMessage[];
  /** Taken sessions by id, each with its messages in seq order; `ended` once the customer left. */
  sessions: Record<string, { kbId: string; messages: DeskMessage[]; ended: boolean }>;
}

/** A session this agent has, as `agent:take` and `agent:join` return it. */
export interface TakenSession {
  sessionId: string;
  kbId: string;
  messages: DeskMessage[];
}

export type DeskEvent =
  /** `agent:join`'s answer: the queue, and the sessions this agent has (after a reconnect or reload). */
  | { type: 'joined'; queue: QueuedSession[]; sessions?: TakenSession[] }
  | { type: 'agent:queue'; session: QueuedSession }
  | { type: 'agent:taken' | 'agent:dequeued'; sessionId: string }
  /** The inbox as the server lists it (on opening, after a reconnect). */
  | { type: 'left:listed'; messages: LeftMessage[] }
  | { type: 'agent:message-left'; message: LeftMessage }
  /** Marked handled or back, by this agent or another. */
  | { type: 'left:handled'; message: LeftMessage }
  | { type: 'took'; sessionId: string; kbId: string; messages: DeskMessage[] }
  | { type: 'customer:message' | 'customer:left' | 'own'; message: DeskMessage }
  | { type: 'released'; sessionId: string };

export const EMPTY_DESK: DeskState = { queue: [], left: [], sessions: {} };

function withMessage(list: DeskMessage[], message: DeskMessage): DeskMessage[] {
  if (list.some((m) => m.seq === message.seq)) return list;
  return [...list, message].sort((a, b) => a.seq - b.seq);
}

const sameLeft = (a: LeftMessage, b: LeftMessage) => a.sessionId === b.sessionId && a.seq === b.seq;
const newestFirst = (a: LeftMessage, b: LeftMessage) =>
  b.createdAt.localeCompare(a.createdAt) || b.seq - a.seq;

/** Adds the left messages; one already there is replaced only with `replace` (the server's word on it). */
function withLeft(list: LeftMessage[], added: LeftMessage[], replace: boolean): LeftMessage[] {
  const next = [...list];
  for (const m of added) {
    const at = next.findIndex((x) => sameLeft(x, m));
    if (at < 0) next.push(m);
    else if (replace) next[at] = m;
  }
  return next.sort(newestFirst);
}

export function deskReducer(state: DeskState, event: DeskEvent): DeskState {
  switch (event.type) {
    case 'joined': {
      // The server's word on which sessions are this agent's: one handed back meanwhile (the agent
      // was away too long) goes; one the customer ended stays readable until the agent closes it.
      const sessions: DeskState['sessions'] = {};
      for (const [id, session] of Object.entries(state.sessions)) if (session.ended) sessions[id] = session;
      for (const taken of event.sessions ?? []) {
        const known = state.sessions[taken.sessionId]?.messages ?? [];
        sessions[taken.sessionId] = {
          kbId: taken.kbId,
          messages: taken.messages.reduce(withMessage, known),
          ended: false,
        };
      }
      return { ...state, queue: event.queue, sessions };
    }
    case 'agent:queue':
      return state.queue.some((q) => q.sessionId === event.session.sessionId)
        ? state
        : { ...state, queue: [...state.queue, event.session] };
    case 'agent:taken':
    case 'agent:dequeued':
      return { ...state, queue: state.queue.filter((q) => q.sessionId !== event.sessionId) };
    case 'left:listed':
      return { ...state, left: withLeft(state.left, event.messages, true) };
    case 'agent:message-left':
      // Already listed (it arrived while the list loaded): the list's copy may know more (handled).
      return { ...state, left: withLeft(state.left, [event.message], false) };
    case 'left:handled':
      return { ...state, left: withLeft(state.left, [event.message], true) };
    case 'took':
      return {
        ...state,
        queue: state.queue.filter((q) => q.sessionId !== event.sessionId),
        sessions: {
          ...state.sessions,
          [event.sessionId]: {
            kbId: event.kbId,
            messages: [...event.messages].sort((a, b) => a.seq - b.seq),
            ended: false,
          },
        },
      };
    case 'customer:message':
    case 'customer:left':
    case 'own': {
      const session = state.sessions[event.message.sessionId];
      if (!session) return state;
      return {
        ...state,
        sessions: {
          ...state.sessions,
          [event.message.sessionId]: {
            ...session,
            messages: withMessage(session.messages, event.message),
            ended: session.ended || event.type === 'customer:left',
          },
        },
      };
    }
    case 'released': {
      const sessions = { ...state.sessions };
      delete sessions[event.sessionId];
      return { ...state, sessions };
    }
  }
}
