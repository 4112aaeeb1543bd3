/**
 * The chat on two replicas sharing PostgreSQL and Redis: the socket.io Redis adapter carries the
 * agents' room across replicas (an agent on one serves a customer on the other), and turns of one
 * session arriving on both replicas at once are all stored, numbered without gaps, with no update of
 * the dialogue state lost; a widget key revoked on one replica closes its sockets on the other, and
 * so does removing an agent from the organisation; an agent that moves to the other replica keeps
 * its sessions.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config';
import { ChatClient, connectChat, listen, type Payload } from './support/chat-client';
import { startTestApp, TEST_REDIS_URL, type TestApp } from './support/test-app';

const AGENT_TOKEN = 'agent-secret';

describe('chat on two replicas with Redis', () => {
  const prefix = `wendao-test-${randomBytes(4).toString('hex')}`;
  const RECONNECT_MS = 1000;
  const chat = loadConfig({
    WENDAO_AGENT_TOKEN: AGENT_TOKEN,
    WENDAO_CHAT_AGENT_RECONNECT_MS: String(RECONNECT_MS),
  }).chat;
  let a: TestApp;
  let b: TestApp;
  let urlA: string;
  let urlB: string;
  let key: string;
  const clients: ChatClient[] = [];

  const connect = async (url: string, auth: object) => {
    const client = await connectChat(url, auth);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    a = await startTestApp({ demo: true, redisUrl: TEST_REDIS_URL, redisPrefix: prefix, chat });
    b = await startTestApp({
      redisUrl: TEST_REDIS_URL,
      redisPrefix: prefix,
      chat,
      databaseUrl: a.databaseUrl,
    });
    [urlA, urlB] = await Promise.all([listen(a), listen(b)]);
    const kbId = (await a.api.get('/api/kbs').expect(200)).body[0].id;
    key = (await a.api.post(`/api/kbs/${kbId}/widget-keys`).send({}).expect(201)).body.key;
  });

  afterEach(() => {
    for (const c of clients.splice(0)) c.socket.disconnect();
  });

  afterAll(async () => {
    await b?.stop();
    await a?.close();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('an agent on one replica takes and answers a customer on the other', async () => {
    const agent = await connect(urlB, { agent: true });
    await agent.send('agent:join', { token: AGENT_TOKEN, name: 'bob' });
    const customer = await connect(urlA, { key });
    const { sessionId } = await customer.send('session:start', {});

    const request = await customer.send('handoff:request', {});
    const queued = await customer.waitFor('bot:message', (m) => m.seq === request.seq + 1);
    // Replica A counted the agent connected to B: the customer is queued, not told nobody is there.
    expect(queued.text).toContain('正在为您转接人工客服');
    expect(await agent.waitFor('agent:queue')).toMatchObject({ sessionId });

    await agent.send('agent:take', { sessionId });
    expect(await customer.waitFor('agent:joined')).toMatchObject({ agentId: 'bob' });
    const asked = await customer.send('message', { clientId: 'x-1', text: '发票怎么开？' });
    expect(await agent.waitFor('customer:message', (m) => m.seq === asked.seq)).toMatchObject({
      text: '发票怎么开？',
    });
    const answered = await agent.send('agent:message', { sessionId, text: '在订单详情里申请即可。' });
    expect(await customer.waitFor('agent:message', (m: Payload) => m.seq === answered.seq)).toMatchObject({
      text: '在订单详情里申请即可。',
    });
    const back = await agent.send('agent:handback', { sessionId });
    expect(await customer.waitFor('bot:message', (m) => m.seq === back.seq)).toMatchObject({
      event: 'handed_back',
    });
  });

  it('stores turns of one session arriving on both replicas at once, without gaps or lost state', async () => {
    const onA = await connect(urlA, { key });
    const { sessionId } = await onA.send('session:start', {});
    const onB = await connect(urlB, { key });
    expect((await onB.send('session:start', { sessionId })).resumed).toBe(true);

    const questions = ['退货期限是多久？', '运费怎么算？', '可以换货吗？', '支持哪些支付方式？'];
    const acks = await Promise.all(
      questions.map((text, i) => (i % 2 ? onB : onA).send('message', { clientId: `c-${i}`, text })),
    );
    expect(acks.every((ack) => !ack.error)).toBe(true);
    const ready = await onA.send('session:start', { sessionId });
    expect(ready.messages.map((m: Payload) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(ready.messages.filter((m: Payload) => m.role === 'customer')).toHaveLength(4);
    // Each customer message is followed by its own reply.
    for (let i = 0; i < 8; i += 2) expect(ready.messages[i + 1].role).toBe('bot');
    const [conversation] = await a.wendao.app
      .get(DataSource)
      .query('SELECT state FROM conversation WHERE id = $1', [sessionId]);
    expect(conversation.state.turns.map((t: Payload) => t.user).sort()).toEqual([...questions].sort());
  });

  it('revoking a key on one replica disconnects its sockets on the other; narrowing its origins closes the pages left out', async () => {
    const kbId = (await a.api.get('/api/kbs').expect(200)).body[0].id;
    const made = (
      await a.api
        .post(`/api/kbs/${kbId}/widget-keys`)
        .send({ allowedOrigins: ['https://a.example.com', 'https://b.example.com'] })
        .expect(201)
    ).body;
    const open = (url: string, origin: string) =>
      connectChat(url, { key: made.key }, { origin }).then((c) => (clients.push(c), c));
    const onB = await open(urlB, 'https://a.example.com');
    const leftOut = await open(urlB, 'https://b.example.com');
    const onA = await open(urlA, 'https://a.example.com');
    const reason = (c: ChatClient) => new Promise((resolve) => c.socket.once('disconnect', resolve));

    // Replica A asks B for the key's sockets (fetchSockets through Redis) and closes the one left out.
    const leftOutGone = reason(leftOut);
    await a.api
      .patch(`/api/kbs/${kbId}/widget-keys/${made.id}`)
      .send({ allowedOrigins: ['https://a.example.com'] })
      .expect(200);
    expect(await leftOutGone).toBe('io server disconnect');
    expect(leftOut.received('error')[0]).toMatchObject({ code: 'forbidden' });
    expect(onB.socket.connected).toBe(true);

    const gone = [reason(onA), reason(onB)];
    await a.api.delete(`/api/kbs/${kbId}/widget-keys/${made.id}`).expect(204);
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    for (const c of [onA, onB])
      expect(c.received('error')).toEqual([
        { code: 'forbidden', message: 'this widget key has been revoked', event: 'connection' },
      ]);
    await expect(connectChat(urlB, { key: made.key }, { origin: 'https://a.example.com' })).rejects.toThrow(
      'this widget key has been revoked',
    );
  });

  it('an agent that moves to the other replica keeps its sessions; removing it on one replica closes its socket on the other', async () => {
    const alice = await a.userWithRole('agent');
    const signedIn = (url: string) =>
      connectChat(url, { agent: true, csrfToken: alice.csrfToken }, { cookie: alice.cookie }).then(
        (c) => (clients.push(c), c),
      );
    const onB = await signedIn(urlB);
    await onB.send('agent:join', {});
    const customer = await connect(urlA, { key });
    const { sessionId } = await customer.send('session:start', {});
    await customer.send('handoff:request', {});
    await onB.waitFor('agent:queue', (q) => q.sessionId === sessionId);
    await onB.send('agent:take', { sessionId });

    // B's timer, when it fires, finds the agent joined on A (through Redis) and leaves the session be.
    onB.socket.disconnect();
    const onA = await signedIn(urlA);
    expect((await onA.send('agent:join', {})).sessions.map((x: Payload) => x.sessionId)).toEqual([sessionId]);
    await new Promise((r) => setTimeout(r, RECONNECT_MS + 500));
    expect(customer.received('bot:message').filter((m) => m.event === 'handed_back')).toEqual([]);
    expect((await onA.send('agent:message', { sessionId, text: '还在' })).error).toBeUndefined();

    const again = await signedIn(urlB);
    await again.send('agent:join', {});
    const gone = [onA, again].map((c) => new Promise((resolve) => c.socket.once('disconnect', resolve)));
    await a.api.delete(`/api/organisations/${a.organisationId}/users/${alice.userId}`).expect(204);
    expect(await Promise.all(gone)).toEqual(['io server disconnect', 'io server disconnect']);
    expect(again.received('error')[0]).toMatchObject({ code: 'forbidden', event: 'connection' });
    // With its agent gone for good, the session goes back to the bot.
    expect(await customer.waitFor('bot:message', (m) => m.event === 'handed_back')).toMatchObject({
      kind: 'handoff',
    });
  });
});
