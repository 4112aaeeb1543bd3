/**
 * The human-handoff state machine, as pure transitions: a state and what happened in, the next state
 * and the events for the server to act on (queue the session, notify agents, store a left message)
 * out. bot -> waiting_for_agent -> with_agent -> (hand back) bot | (close) closed; with no agent
 * available bot -> leaving_message -> bot once the message is left. Until an agent joins, the customer
 * may change their mind: waiting_for_agent | leaving_message -> bot. An agent answering a message the
 * customer left joins wherever the bot has the session (follow_up): bot | closed | … -> with_agent.
 * An agent who leaves and does not come back (agent_left, the server's timeout) gives the session
 * back to the bot: with_agent -> bot, so no customer is left talking to nobody.
 */
import type { HandoffState } from './session-state';

/** Why a session went to a human. */
export type HandoffReason = 'customer_request' | 'consecutive_fallbacks';

export type DialogueEvent =
  | { type: 'handoff_requested'; reason: HandoffReason }
  | { type: 'agent_unavailable'; reason: HandoffReason }
  | { type: 'agent_joined'; agentId: string }
  | { type: 'customer_message_for_agent'; text: string }
  | { type: 'message_left'; text: string }
  | { type: 'handed_back'; agentId: string }
  /** The agent who had the session went away and did not come back in time: the bot answers again. */
  | { type: 'agent_left' }
  | { type: 'session_closed'; by: 'agent' }
  | { type: 'session_reopened' }
  | { type: 'handoff_cancelled'; from: 'waiting_for_agent' | 'leaving_message' };

/** What an agent (or the server's queue, for `no_agent`) does to a session. */
export type AgentAction =
  | { type: 'join'; agentId: string }
  | { type: 'hand_back'; agentId: string }
  | { type: 'close'; agentId: string }
  /**
   * An agent answers a message the customer left, while the customer is still in the chat (the
   * server checks both): it joins from any state but another agent's.
   */
  | { type: 'follow_up'; agentId: string }
  /** Nobody took the queued session (the server's timeout): the customer may leave a message. */
  | { type: 'no_agent' }
  /** The agent who had the session disconnected and did not come back (the server's timeout). */
  | { type: 'agent_left' };

export interface HandoffTransition {
  state: HandoffState;
  events: DialogueEvent[];
}

export class IllegalHandoffTransition extends Error {}

/** A handoff is asked for: queue for an agent when one is available, otherwise offer to leave a message. */
export function requestHandoff(
  state: HandoffState,
  reason: HandoffReason,
  agentsAvailable: boolean,
): HandoffTransition {
  if (state === 'waiting_for_agent' || state === 'with_agent') return { state, events: [] };
  return agentsAvailable
    ? { state: 'waiting_for_agent', events: [{ type: 'handoff_requested', reason }] }
    : { state: 'leaving_message', events: [{ type: 'agent_unavailable', reason }] };
}

/**
 * The customer stops waiting for an agent, or no longer wants to leave a message: the bot answers
 * again. Nothing to cancel (already with the bot, or closed) changes nothing; once an agent has
 * joined, the agent hands back or closes.
 */
export function cancelHandoff(state: HandoffState): HandoffTransition {
  if (state === 'waiting_for_agent' || state === 'leaving_message')
    return { state: 'bot', events: [{ type: 'handoff_cancelled', from: state }] };
  if (state === 'with_agent')
    throw new IllegalHandoffTransition(
      'an agent has already joined: only the agent can hand the session back',
    );
  return { state, events: [] };
}

export function applyAgentAction(state: HandoffState, action: AgentAction): HandoffTransition {
  switch (action.type) {
    case 'join':
      if (state !== 'waiting_for_agent' && state !== 'leaving_message')
        throw new IllegalHandoffTransition(`an agent cannot join a session in state ${state}`);
      return { state: 'with_agent', events: [{ type: 'agent_joined', agentId: action.agentId }] };
    case 'follow_up':
      if (state === 'with_agent') throw new IllegalHandoffTransition('the session is already with an agent');
      return { state: 'with_agent', events: [{ type: 'agent_joined', agentId: action.agentId }] };
    case 'hand_back':
      if (state !== 'with_agent')
        throw new IllegalHandoffTransition(
          `only a session with an agent can be handed back (state ${state})`,
        );
      return { state: 'bot', events: [{ type: 'handed_back', agentId: action.agentId }] };
    case 'close':
      if (state === 'closed') return { state, events: [] };
      return { state: 'closed', events: [{ type: 'session_closed', by: 'agent' }] };
    case 'agent_left':
      if (state !== 'with_agent')
        throw new IllegalHandoffTransition(
          `agent_left only applies to a session with an agent (state ${state})`,
        );
      return { state: 'bot', events: [{ type: 'agent_left' }] };
    case 'no_agent':
      if (state !== 'waiting_for_agent')
        throw new IllegalHandoffTransition(`no_agent only applies to a queued session (state ${state})`);
      return {
        state: 'leaving_message',
        events: [{ type: 'agent_unavailable', reason: 'customer_request' }],
      };
  }
}
