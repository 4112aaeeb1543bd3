import { describe, expect, it } from 'vitest';
import { deskReducer, EMPTY_DESK, type DeskMessage, type DeskState, type LeftMessage } from './agent-desk';

const msg = (seq: number, role: DeskMessage['role'], text: string, sessionId = 's1'): DeskMessage => ({
  sessionId,
  seq,
  role,
  text,
  createdAt: '2026-12-05T10:00:00Z',
});
const queued = (sessionId: string) => ({
  sessionId,
  kbId: 'kb',
  reason: 'customer_request' as const,
  since: '2026-12-05T10:00:00Z',
});

const left = (sessionId: string, seq: number, minute: number, handled = false): LeftMessage => ({
  sessionId,
  seq,
  kbId: 'kb',
  kbName: '售后客服',
  text: `left in ${sessionId}`,
  contact: { phones: [], emails: [] },
  createdAt: `2026-12-05T10:${String(minute).padStart(2, '0')}:00.000Z`,
  handled,
  handledAt: handled ? '2026-12-05T11:00:00.000Z' : null,
  handledBy: handled ? 'alice' : null,
});

describe('agent desk', () => {
  it('queues sessions once, drops them when any agent takes them, keeps the taken one with its history', () => {
    let s: DeskState = deskReducer(EMPTY_DESK, { type: 'joined', queue: [queued('s1')] });
    s = deskReducer(s, { type: 'agent:queue', session: queued('s1') });
    s = deskReducer(s, { type: 'agent:queue', session: queued('s2') });
    expect(s.queue.map((q) => q.sessionId)).toEqual(['s1', 's2']);
    s = deskReducer(s, { type: 'agent:taken', sessionId: 's2' });
    s = deskReducer(s, {
      type: 'took',
      sessionId: 's1',
      kbId: 'kb',
      messages: [msg(2, 'bot', 'b'), msg(1, 'customer', 'a')],
    });
    expect(s.queue).toEqual([]);
    expect(s.sessions.s1.messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('adds each message once in seq order, marks a session the customer left, forgets a released one', () => {
    let s = deskReducer(EMPTY_DESK, {
      type: 'took',
      sessionId: 's1',
      kbId: 'kb',
      messages: [msg(1, 'customer', 'a')],
    });
    s = deskReducer(s, { type: 'customer:message', message: msg(3, 'customer', 'c') });
    s = deskReducer(s, { type: 'own', message: msg(2, 'agent', 'b') });
    s = deskReducer(s, { type: 'customer:message', message: msg(3, 'customer', 'c') });
    expect(s.sessions.s1.messages.map((m) => m.text)).toEqual(['a', 'b', 'c']);
    // A message for a session this agent does not have changes nothing.
    expect(deskReducer(s, { type: 'customer:message', message: msg(1, 'customer', 'x', 's9') })).toBe(s);
    s = deskReducer(s, { type: 'customer:left', message: msg(4, 'system', 'ended') });
    expect(s.sessions.s1.ended).toBe(true);
    expect(deskReducer(s, { type: 'released', sessionId: 's1' }).sessions).toEqual({});
  });

  it('restores the sessions this agent has from agent:join, merged with what it already showed', () => {
    let s = deskReducer(EMPTY_DESK, {
      type: 'took',
      sessionId: 's1',
      kbId: 'kb',
      messages: [msg(1, 'customer', 'a')],
    });
    s = deskReducer(s, {
      type: 'took',
      sessionId: 's2',
      kbId: 'kb',
      messages: [msg(1, 'customer', 'x', 's2')],
    });
    s = deskReducer(s, {
      type: 'took',
      sessionId: 's3',
      kbId: 'kb',
      messages: [msg(1, 'customer', 'y', 's3')],
    });
    s = deskReducer(s, { type: 'customer:left', message: msg(2, 'system', 'ended', 's3') });
    // A reconnect: s1 is still this agent's (with a message it missed), s2 went back to the bot
    // meanwhile, s3's customer had left (kept to read), s4 comes from a reload of another tab.
    s = deskReducer(s, {
      type: 'joined',
      queue: [queued('s5')],
      sessions: [
        { sessionId: 's1', kbId: 'kb', messages: [msg(1, 'customer', 'a'), msg(2, 'customer', 'b')] },
        { sessionId: 's4', kbId: 'kb', messages: [msg(1, 'customer', 'z', 's4')] },
      ],
    });
    expect(Object.keys(s.sessions).sort()).toEqual(['s1', 's3', 's4']);
    expect(s.sessions.s1.messages.map((m) => m.text)).toEqual(['a', 'b']);
    expect(s.sessions.s3.ended).toBe(true);
    expect(s.queue.map((q) => q.sessionId)).toEqual(['s5']);
    // A page just opened (a reload) starts from the server's list alone.
    const reloaded = deskReducer(EMPTY_DESK, {
      type: 'joined',
      queue: [],
      sessions: [
        { sessionId: 's1', kbId: 'kb', messages: [msg(2, 'customer', 'b'), msg(1, 'customer', 'a')] },
      ],
    });
    expect(reloaded.sessions.s1).toEqual({
      kbId: 'kb',
      messages: [msg(1, 'customer', 'a'), msg(2, 'customer', 'b')],
      ended: false,
    });
  });

  it('merges the listed inbox and live left messages once each, newest first, and takes the latest handled mark', () => {
    // A message left while the list loads arrives live first, then in the list.
    let s = deskReducer(EMPTY_DESK, { type: 'agent:message-left', message: left('s3', 2, 30) });
    s = deskReducer(s, {
      type: 'left:listed',
      messages: [left('s3', 2, 30), left('s1', 2, 10), left('s2', 4, 20)],
    });
    expect(s.left.map((m) => m.sessionId)).toEqual(['s3', 's2', 's1']);
    // The same event again (two sockets, a reconnect) adds nothing.
    s = deskReducer(s, { type: 'agent:message-left', message: left('s2', 4, 20) });
    expect(s.left).toHaveLength(3);
    // Another agent marks one handled: it stays, marked; a live copy does not unmark it.
    s = deskReducer(s, { type: 'left:handled', message: left('s2', 4, 20, true) });
    s = deskReducer(s, { type: 'agent:message-left', message: left('s2', 4, 20) });
    expect(s.left.find((m) => m.sessionId === 's2')).toMatchObject({ handled: true, handledBy: 'alice' });
    // Taking a session leaves its left message in the inbox until someone marks it handled.
    s = deskReducer(s, { type: 'took', sessionId: 's1', kbId: 'kb', messages: [] });
    expect(s.left.map((m) => m.sessionId)).toEqual(['s3', 's2', 's1']);
  });
});
