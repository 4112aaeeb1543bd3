/**
 * Agents' hold on their sessions, with signed-in agents on real sockets, the real server and
 * PostgreSQL: a session is its taker's by their signed-in identity (another agent sending their name
 * gets nowhere), survives the agent's reconnect, goes back to the bot when the agent does not come
 * back, and a member removed, lowered below agent or signed out stops serving at once.
 */
import { Client } from 'pg';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthRepository } from '../src/auth/auth.repository';
import { loadConfig } from '../src/config/app-config';
import { ChatClient, connectChat, listen, type Payload } from './support/chat-client';
import { createKb, startTestApp, type SignedIn, type TestApp } from './support/test-app';

/** How long an agent who disconnected has to come back before its sessions go back to the bot. */
const RECONNECT_MS = 1500;

describe('agents and their sessions', () => {
  let t: TestApp;
  let db: Client;
  let url: string;
  let key: string;
  const clients: ChatClient[] = [];

  const agentSocket = async (who: SignedIn): Promise<ChatClient> => {
    const client = await connectChat(url, { agent: true, csrfToken: who.csrfToken }, { cookie: who.cookie });
    clients.push(client);
    return client;
  };
  /** A customer who asked for a human, and the queue notice the agent got. */
  const queuedCustomer = async (agent: ChatClient) => {
    const client = await connectChat(url, { key });
    clients.push(client);
    const ready = await client.send('session:start', {});
    await client.send('handoff:request', {});
    await agent.waitFor('agent:queue', (q) => q.sessionId === ready.sessionId);
    return { client, sessionId: ready.sessionId as string };
  };
  /** The reason the socket is disconnected for, within 5 s. */
  const disconnected = (socket: Socket) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the socket is still connected after 5 s')), 5000);
      socket.once('disconnect', (reason) => {
        clearTimeout(timer);
        resolve(reason);
      });
    });

  beforeAll(async () => {
    t = await startTestApp({
      chat: loadConfig({ WENDAO_CHAT_AGENT_RECONNECT_MS: String(RECONNECT_MS) }).chat,
    });
    const kbId = await createKb(t.api, 'agent sessions kb', 'zh');
    url = await listen(t);
    key = (await t.api.post(`/api/kbs/${kbId}/widget-keys`).send({}).expect(201)).body.key;
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.socket.disconnect();
    await new Promise((r) => setTimeout(r, 50));
  });

  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await t?.close();
  });

  it("keeps a session its taker's: another agent sending the taker's name can neither write to it nor release it", async () => {
    const alice = await t.userWithRole('agent');
    const bob = await t.userWithRole('agent');
    await db.query(`UPDATE app_user SET name = 'Alice' WHERE id = $1`, [alice.userId]);
    const a = await agentSocket(alice);
    expect((await a.send('agent:join', {})).agentId).toBe('Alice');
    const { client, sessionId } = await queuedCustomer(a);
    expect((await a.send('agent:take', { sessionId })).sessionId).toBe(sessionId);

    const b = await agentSocket(bob);
    const posing = await b.send('agent:join', { name: 'Alice' });
    expect(
      (await b.send('agent:message', { sessionId, text: 'I am Alice, send me your card number' })).error,
    ).toMatchObject({ code: 'forbidden' });
    expect((await b.send('agent:handback', { sessionId })).error).toMatchObject({ code: 'forbidden' });
    expect((await b.send('agent:close', { sessionId })).error).toMatchObject({ code: 'forbidden' });
    expect((await b.send('agent:take', { sessionId })).error).toMatchObject({ code: 'illegal_transition' });
    expect(client.received('agent:message')).toEqual([]);
    // Nor is it shown as them: a signed-in user is labelled as themselves, whatever name is sent.
    expect(posing.agentId).toBe('agent'); // bob's own name
    expect((await a.send('agent:join', { name: 'Boss' })).agentId).toBe('Alice');

    // The taker still has it, and the customer sees the taker's message.
    const sent = await a.send('agent:message', { sessionId, text: '您好' });
    expect(await client.waitFor('agent:message', (m) => m.seq === sent.seq)).toMatchObject({ text: '您好' });
    const { rows } = await db.query('SELECT agent_id, agent_principal FROM conversation WHERE id = $1', [
      sessionId,
    ]);
    expect(rows[0]).toEqual({ agent_id: 'Alice', agent_principal: `user:${alice.userId}` });
    expect(client.received('bot:message').filter((m) => m.event === 'handed_back')).toEqual([]);
  });

  it('gives an agent back its sessions, with their messages, when it reconnects', async () => {
    const alice = await t.userWithRole('agent');
    const first = await agentSocket(alice);
    await first.send('agent:join', {});
    const { client, sessionId } = await queuedCustomer(first);
    await first.send('agent:take', { sessionId });
    const said = await client.send('message', { clientId: 'r-1', text: '我的订单还没到' });
    await first.waitFor('customer:message', (m) => m.seq === said.seq);
    first.socket.disconnect();
    await new Promise((r) => setTimeout(r, 100));

    // A reload of the console: a new socket, signed in as the same user.
    const again = await agentSocket(alice);
    const joined = await again.send('agent:join', {});
    expect(joined.queue).toEqual([]);
    expect(joined.sessions).toHaveLength(1);
    expect(joined.sessions[0]).toMatchObject({ sessionId });
    expect(joined.sessions[0].messages.map((m: Payload) => m.text)).toContain('我的订单还没到');
    // Its room again: the customer's next message reaches it, and it answers.
    const next = await client.send('message', { clientId: 'r-2', text: '在吗？' });
    expect(await again.waitFor('customer:message', (m) => m.seq === next.seq)).toMatchObject({
      text: '在吗？',
    });
    const reply = await again.send('agent:message', { sessionId, text: '在的，我帮您查一下。' });
    expect(reply.error).toBeUndefined();
    expect(await client.waitFor('agent:message', (m) => m.seq === reply.seq)).toBeTruthy();
    // Back within the time allowed: the session stayed with the agent.
    await new Promise((r) => setTimeout(r, RECONNECT_MS + 300));
    expect(client.received('bot:message').filter((m) => m.event === 'handed_back')).toEqual([]);
  });

  it('gives the session back to the bot when its agent does not come back in time', async () => {
    const alice = await t.userWithRole('agent');
    const a = await agentSocket(alice);
    await a.send('agent:join', {});
    const { client, sessionId } = await queuedCustomer(a);
    await a.send('agent:take', { sessionId });
    const from = client.events.length;
    a.socket.disconnect();
    const back = await client.waitFor('bot:message', (m) => m.event === 'handed_back', from);
    expect(back).toMatchObject({ kind: 'handoff', agentId: 'agent' });
    expect(back.text).toContain('人工客服已离开');
    expect((await client.send('session:start', { sessionId })).handoff).toBe('bot');
    // The bot answers again; the agent, back too late, has nothing to carry on.
    const asked = await client.send('message', { clientId: 'l-1', text: '退货期限是多久？' });
    expect(await client.waitFor('bot:message', (m) => m.seq === asked.seq + 1)).toMatchObject({
      role: 'bot',
    });
    const late = await agentSocket(alice);
    expect((await late.send('agent:join', {})).sessions).toEqual([]);
    expect((await late.send('agent:message', { sessionId, text: 'sorry' })).error).toMatchObject({
      code: 'forbidden',
    });
  });

  it('closes a removed member’s agent socket at once, and gives their session back to the bot', async () => {
    const carol = await t.userWithRole('agent');
    const c = await agentSocket(carol);
    await c.send('agent:join', {});
    const { client, sessionId } = await queuedCustomer(c);
    await c.send('agent:take', { sessionId });
    const closed = disconnected(c.socket);
    const from = client.events.length;
    await t.api.delete(`/api/organisations/${t.organisationId}/users/${carol.userId}`).expect(204);
    expect(await closed).toBe('io server disconnect');
    expect(await c.waitFor('error', (e) => e.event === 'connection')).toMatchObject({ code: 'forbidden' });
    // Nobody else comes: the customer is not left writing to a removed member.
    const back = await client.waitFor('bot:message', (m) => m.event === 'handed_back', from);
    expect(back.text).toContain('人工客服已离开');
    // And a new socket of theirs is refused.
    await expect(agentSocket(carol)).rejects.toThrow(/agent role/);
  });

  it('refuses a lowered member at their next event when the broadcast missed their socket, and closes it', async () => {
    const dave = await t.userWithRole('agent');
    const watcher = await agentSocket(await t.userWithRole('agent'));
    await watcher.send('agent:join', {});
    const d = await agentSocket(dave);
    await d.send('agent:join', {});
    const { sessionId } = await queuedCustomer(d);
    // Lowered behind the API's back (as if this replica had not heard the broadcast).
    await t.wendao.app.get(AuthRepository).setRole(t.organisationId, dave.userId, 'viewer');
    const closed = disconnected(d.socket);
    const take = await d.send('agent:take', { sessionId });
    expect(take.error).toMatchObject({ code: 'forbidden' });
    expect(take.error.message).toMatch(/agent role/);
    expect(await closed).toBe('io server disconnect');
    // The session is still waiting for someone who may serve it.
    expect((await watcher.send('agent:take', { sessionId })).sessionId).toBe(sessionId);
  });

  it('closes the agent sockets of a member whose role drops below agent, and of a session that signs out', async () => {
    const erin = await t.userWithRole('agent');
    const e = await agentSocket(erin);
    await e.send('agent:join', {});
    const lowered = disconnected(e.socket);
    await t.api
      .patch(`/api/organisations/${t.organisationId}/users/${erin.userId}`)
      .send({ role: 'viewer' })
      .expect(200);
    expect(await lowered).toBe('io server disconnect');

    const frank = await t.userWithRole('editor');
    const f = await agentSocket(frank);
    await f.send('agent:join', {});
    const signedOut = disconnected(f.socket);
    await frank.api.post('/api/auth/logout').expect((res) => expect(res.status).toBeLessThan(300));
    expect(await signedOut).toBe('io server disconnect');
    expect(await f.waitFor('error', (x) => x.event === 'connection')).toMatchObject({
      message: expect.stringContaining('signed out'),
    });
  });

  it('shows each API key as itself: two keys never share a label, and none takes another name', async () => {
    const issue = async (name?: string) =>
      (
        await t.api
          .post(`/api/organisations/${t.organisationId}/api-keys`)
          .send({ role: 'agent', ...(name ? { name } : {}) })
          .expect(201)
      ).body as { key: string; prefix: string };
    const mei = await issue('Mei (night shift)');
    const unnamed = [await issue(), await issue()];
    const keySocket = async (key: string) => {
      const client = await connectChat(url, { agent: true, apiKey: key });
      clients.push(client);
      return client;
    };
    const m = await keySocket(mei.key);
    // The name it sends is not who it is: the key's own name is.
    expect((await m.send('agent:join', { name: 'Alice' })).agentId).toBe('Mei (night shift)');
    const u = await Promise.all(unnamed.map((k) => keySocket(k.key)));
    const labels = await Promise.all(u.map(async (c) => (await c.send('agent:join', {})).agentId));
    expect(labels).toEqual(unnamed.map((k) => `API key ${k.prefix}`));
    expect(new Set(labels).size).toBe(2);

    // The customer and the other agents see who took the session.
    const { client, sessionId } = await queuedCustomer(u[0]);
    const taken = u[1].waitFor('agent:taken', (x) => x.sessionId === sessionId);
    await u[0].send('agent:take', { sessionId });
    expect(await taken).toMatchObject({ agentId: labels[0] });
    expect(await client.waitFor('agent:joined')).toMatchObject({ agentId: labels[0] });
    const { rows } = await db.query('SELECT agent_id FROM conversation WHERE id = $1', [sessionId]);
    expect(rows[0].agent_id).toBe(labels[0]);
  });

  it('closes the sockets of a revoked API key', async () => {
    const apiKey = (
      await t.api.post(`/api/organisations/${t.organisationId}/api-keys`).send({ role: 'agent' }).expect(201)
    ).body;
    const k = await connectChat(url, { agent: true, apiKey: apiKey.key });
    clients.push(k);
    expect((await k.send('agent:join', { name: 'shop bot' })).agentId).toBe(`API key ${apiKey.prefix}`);
    const closed = disconnected(k.socket);
    await t.api.delete(`/api/organisations/${t.organisationId}/api-keys/${apiKey.id}`).expect(204);
    expect(await closed).toBe('io server disconnect');
  });
});
