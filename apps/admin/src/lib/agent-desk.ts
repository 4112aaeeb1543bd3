/**
 * The agent's side of the chat (socket.io /chat, docs/chat.md) as plain state transitions: the
 * queue of sessions waiting for an agent, messages left while nobody was online, and the sessions
 * this agent has taken with their messages. The page feeds socket events in and renders the state.
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

export interface DeskState {
  queue: QueuedSession[];
  left: DeskMessage[];
  /** Taken sessions by id, each with its messages in seq order; `ended` once the customer left. */
  sessions: Record<string, { kbId: string; messages: DeskMessage[]; ended: boolean }>;
}

export type DeskEvent =
  | { type: 'joined'; queue: QueuedSession[] }
  | { type: 'agent:queue'; session: QueuedSession }
  | { type: 'agent:taken' | 'agent:dequeued'; sessionId: string }
  | { type: 'agent:message-left'; message: DeskMessage }
  | { type: 'took'; sessionId: string; kbId: string; messages: DeskMessage[] }
  | { type: 'customer:message' | 'customer:left' | 'own'; message: DeskMessage }
  | { type: 'released'; sessionId: string };

export const EMPTY_DESK: DeskState = { queue: [], left: [], sessions: {} };

function withMessage(list: DeskMessage[], message: DeskMessage): DeskMessage[] {
  if (list.some((m) => m.seq === message.seq)) return list;
  return [...list, message].sort((a, b) => a.seq - b.seq);
}

export function deskReducer(state: DeskState, event: DeskEvent): DeskState {
  switch (event.type) {
    case 'joined':
      return { ...state, queue: event.queue };
    case 'agent:queue':
      return state.queue.some((q) => q.sessionId === event.session.sessionId)
        ? state
        : { ...state, queue: [...state.queue, event.session] };
    case 'agent:taken':
    case 'agent:dequeued':
      return { ...state, queue: state.queue.filter((q) => q.sessionId !== event.sessionId) };
    case 'agent:message-left':
      return { ...state, left: withMessage(state.left, event.message) };
    case 'took':
      return {
        ...state,
        queue: state.queue.filter((q) => q.sessionId !== event.sessionId),
        left: state.left.filter((m) => m.sessionId !== event.sessionId),
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
