import type { BotReply } from '@wendao/dialogue';
import { describe, expect, it } from 'vitest';
import { handBackMessages } from './chat-message';

const reply: BotReply = {
  kind: 'handoff',
  text: '人工客服已结束服务，您可以继续向我提问。',
  answer: null,
  question: null,
  rewrittenQuestion: null,
  quickReplies: [{ id: 'handoff', label: '转人工' }],
};

describe('handBackMessages', () => {
  it('says nothing when the policy has no reply', () => {
    expect(handBackMessages(null, 'handed_back', 'alice')).toEqual([]);
  });

  it('is the bot’s reply with the event and the agent who released the session', () => {
    const [closed] = handBackMessages(reply, 'closed', 'alice');
    expect(closed.role).toBe('bot');
    expect(closed.text).toBe(reply.text);
    expect(closed.payload).toMatchObject({
      kind: 'handoff',
      event: 'closed',
      agentId: 'alice',
      quickReplies: reply.quickReplies,
    });
  });

  it('leaves the agent out when nobody knows who had the session', () => {
    const [back] = handBackMessages(reply, 'handed_back', undefined);
    expect(back.payload.event).toBe('handed_back');
    expect(back.payload).not.toHaveProperty('agentId');
  });
});
