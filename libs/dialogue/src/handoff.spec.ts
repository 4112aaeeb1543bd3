import { describe, expect, it } from 'vitest';
import { IllegalHandoffTransition, applyAgentAction, cancelHandoff, requestHandoff } from './handoff';

describe('handoff state machine', () => {
  it('queues when an agent is available, offers a message otherwise, and ignores a repeat request', () => {
    expect(requestHandoff('bot', 'customer_request', true).state).toBe('waiting_for_agent');
    expect(requestHandoff('bot', 'consecutive_fallbacks', false)).toEqual({
      state: 'leaving_message',
      events: [{ type: 'agent_unavailable', reason: 'consecutive_fallbacks' }],
    });
    expect(requestHandoff('with_agent', 'customer_request', true)).toEqual({
      state: 'with_agent',
      events: [],
    });
  });

  it('join -> hand back or close; nobody taking a queued session lets the customer leave a message', () => {
    expect(applyAgentAction('waiting_for_agent', { type: 'join', agentId: 'a' }).state).toBe('with_agent');
    expect(applyAgentAction('with_agent', { type: 'hand_back', agentId: 'a' }).state).toBe('bot');
    expect(applyAgentAction('with_agent', { type: 'close', agentId: 'a' }).state).toBe('closed');
    expect(applyAgentAction('waiting_for_agent', { type: 'no_agent' }).state).toBe('leaving_message');
  });

  it('lets an agent follow up a left message from wherever the bot has the session, not from another agent', () => {
    for (const state of ['bot', 'closed', 'leaving_message', 'waiting_for_agent'] as const)
      expect(applyAgentAction(state, { type: 'follow_up', agentId: 'a' })).toEqual({
        state: 'with_agent',
        events: [{ type: 'agent_joined', agentId: 'a' }],
      });
    // A plain join stays for sessions that asked for a human.
    expect(() => applyAgentAction('bot', { type: 'join', agentId: 'a' })).toThrow(IllegalHandoffTransition);
    expect(() => applyAgentAction('with_agent', { type: 'follow_up', agentId: 'b' })).toThrow(
      'the session is already with an agent',
    );
  });

  it('lets the customer stop waiting, or leaving a message, until an agent joins', () => {
    expect(cancelHandoff('waiting_for_agent')).toEqual({
      state: 'bot',
      events: [{ type: 'handoff_cancelled', from: 'waiting_for_agent' }],
    });
    expect(cancelHandoff('leaving_message')).toEqual({
      state: 'bot',
      events: [{ type: 'handoff_cancelled', from: 'leaving_message' }],
    });
    // A second press, or one after the message was left: nothing to cancel.
    expect(cancelHandoff('bot')).toEqual({ state: 'bot', events: [] });
    expect(cancelHandoff('closed')).toEqual({ state: 'closed', events: [] });
    expect(() => cancelHandoff('with_agent')).toThrow(IllegalHandoffTransition);
  });

  it('gives the session back to the bot when its agent leaves and does not come back', () => {
    expect(applyAgentAction('with_agent', { type: 'agent_left' })).toEqual({
      state: 'bot',
      events: [{ type: 'agent_left' }],
    });
    // Already handed back, closed or never taken: nothing to give back.
    for (const state of ['bot', 'closed', 'waiting_for_agent', 'leaving_message'] as const)
      expect(() => applyAgentAction(state, { type: 'agent_left' })).toThrow(IllegalHandoffTransition);
  });

  it('refuses transitions that make no sense', () => {
    expect(() => applyAgentAction('bot', { type: 'join', agentId: 'a' })).toThrow(IllegalHandoffTransition);
    expect(() => applyAgentAction('bot', { type: 'hand_back', agentId: 'a' })).toThrow(
      IllegalHandoffTransition,
    );
    expect(() => applyAgentAction('with_agent', { type: 'no_agent' })).toThrow(IllegalHandoffTransition);
  });
});
