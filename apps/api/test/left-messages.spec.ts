/**
 * The agents' inbox of messages customers left while no agent was online, against the real server,
 * PostgreSQL and socket.io: an agent who signs in afterwards finds them (GET /api/agent/left-messages),
 * newest first with their KB and contact details; live ones arrive in the same shape; marking one
 * handled is stored and heard by the other agents; another organisation's agents neither see nor
 * mark them; bad input is a 4xx that says why.
 */
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatClient, connectChat, listen, type Payload } from './support/chat-client';
import { createKb, startTestApp, uploadAndWait, type SignedIn, type TestApp } from './support/test-app';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const INBOX = '/api/agent/left-messages';

describe('left messages inbox', () => {
  let t: TestApp;
  let db: Client;
  let url: string;
  let kbId: string;
  let key: string;
  let agent: SignedIn;
  const sockets: ChatClient[] = [];

  const track = (client: ChatClient) => {
    sockets.push(client);
    return client;
  };
  const agentSocket = async (s: SignedIn) => {
    const client = track(
      await connectChat(url, { agent: true, csrfToken: s.csrfToken }, { cookie: s.cookie }),
    );
    const joined = await client.send('agent:join', {});
    expect(joined.error).toBeUndefined();
    return client;
  };

  /** A customer asks for a human while nobody is online and is offered to leave a message. */
  const offered = async () => {
    const customer = track(await connectChat(url, { key }));
    const ready = await customer.send('session:start', {});
    const request = await customer.send('handoff:request', {});
    const notice = await customer.waitFor('bot:message', (m) => m.seq === request.seq + 1);
    expect(notice.text).toContain('没有人工客服在线');
    return { customer, sessionId: ready.sessionId as string };
  };
  const leave = async (
    { customer, sessionId }: { customer: ChatClient; sessionId: string },
    text: string,
  ) => {
    const left = await customer.send('message', { clientId: 'left', text });
    const receipt = await customer.waitFor('bot:message', (m) => m.seq === left.seq + 1);
    expect(receipt.kind).toBe('message_left');
    return { sessionId, seq: left.seq as number };
  };
  const leaveMessage = async (text: string) => leave(await offered(), text);

  beforeAll(async () => {
    t = await startTestApp();
    kbId = await createKb(t.api, '售后客服', 'zh');
    await uploadAndWait(t.api, kbId, [
      { name: 'faq.csv', content: '问题,答案\n退货期限是多久？,签收后7天内。\n' },
    ]);
    url = await listen(t);
    key = (await t.api.post(`/api/kbs/${kbId}/widget-keys`).send({}).expect(201)).body.key;
    agent = await t.userWithRole('agent');
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) s.socket.disconnect();
    // Agents online are counted from live sockets: let the server see them go.
    await new Promise((r) => setTimeout(r, 50));
  });

  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await t?.close();
  });

  it('lists messages left while no agent was online to an agent who signs in afterwards, newest first', async () => {
    const first = await leaveMessage('我的订单12345还没发货，请联系我 13800000000');
    const second = await leaveMessage('发票开错了，邮件 li.wei@example.com');

    // The agent comes online only now: nothing queued, both messages in the inbox.
    const desk = await agentSocket(agent);
    expect((await desk.send('agent:join', {})).queue).toEqual([]);
    const res = await agent.api.get(INBOX).expect(200);
    expect(res.headers['x-total-count']).toBe('2');
    expect(res.body.map((m: Payload) => [m.sessionId, m.seq])).toEqual([
      [second.sessionId, second.seq],
      [first.sessionId, first.seq],
    ]);
    expect(res.body[1]).toEqual({
      sessionId: first.sessionId,
      seq: first.seq,
      kbId,
      kbName: '售后客服',
      text: '我的订单12345还没发货，请联系我 13800000000',
      contact: { phones: ['13800000000'], emails: [] },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      handled: false,
      handledAt: null,
      handledBy: null,
    });
    expect(res.body[0].contact).toEqual({ phones: [], emails: ['li.wei@example.com'] });

    const page = (await agent.api.get(`${INBOX}?limit=1`).expect(200)).body;
    expect(page).toHaveLength(1);
    expect(page[0]).toMatchObject({ sessionId: second.sessionId, seq: second.seq });
    expect((await agent.api.get(`${INBOX}?q=${encodeURIComponent('发票')}`).expect(200)).body).toHaveLength(
      1,
    );
  });

  it('sends a message left while an agent is online to it in the same shape, and the inbox has it once', async () => {
    // Offered to leave a message while nobody was online; an agent signs in before the customer writes.
    const pending = await offered();
    const desk = await agentSocket(agent);
    const left = await leave(pending, '在吗？请打 13912345678');
    const live = await desk.waitFor('agent:message-left', (m) => m.sessionId === left.sessionId);
    expect(live).toMatchObject({
      seq: left.seq,
      role: 'customer',
      leftForAgent: true,
      kbId,
      kbName: '售后客服',
      contact: { phones: ['13912345678'], emails: [] },
      handled: false,
    });
    const listed = (await agent.api.get(INBOX).expect(200)).body.filter(
      (m: Payload) => m.sessionId === left.sessionId,
    );
    expect(listed).toHaveLength(1);
    const { sessionId, seq, kbName, text, contact, createdAt, handled, handledAt, handledBy } = live;
    expect(listed[0]).toEqual({
      sessionId,
      seq,
      kbId,
      kbName,
      text,
      contact,
      createdAt,
      handled,
      handledAt,
      handledBy,
    });
  });

  it('marks a message handled (stored, heard by the other agents, kept by whoever marked it first) and back', async () => {
    const left = await leaveMessage('退款还没到账，邮箱 zhang@example.com');
    const me = (await agent.api.get('/api/auth/me').expect(200)).body.user;
    const other = await t.userWithRole('editor');
    const otherDesk = await agentSocket(other);

    const marked = await agent.api
      .patch(`${INBOX}/${left.sessionId}/${left.seq}`)
      .send({ handled: true })
      .expect(200);
    expect(marked.body).toMatchObject({
      sessionId: left.sessionId,
      seq: left.seq,
      handled: true,
      handledBy: me.name || me.email,
      handledAt: expect.stringMatching(/^\d{4}-/),
    });
    expect(await otherDesk.waitFor('agent:left-message-handled')).toMatchObject({
      sessionId: left.sessionId,
      seq: left.seq,
      handled: true,
    });
    const { rows } = await db.query(
      `SELECT handled_at IS NOT NULL AS handled, handled_by FROM message WHERE conversation_id = $1 AND seq = $2`,
      [left.sessionId, left.seq],
    );
    expect(rows).toEqual([{ handled: true, handled_by: me.name || me.email }]);

    // The inbox (unhandled) no longer has it; the handled list and another agent's view do.
    const open = (await agent.api.get(`${INBOX}?handled=false`).expect(200)).body;
    expect(open.map((m: Payload) => m.sessionId)).not.toContain(left.sessionId);
    const done = (await other.api.get(`${INBOX}?handled=true`).expect(200)).body;
    expect(done.find((m: Payload) => m.sessionId === left.sessionId)).toMatchObject({
      handledBy: me.name || me.email,
    });
    // Marking it again keeps who handled it and when.
    const again = await other.api
      .patch(`${INBOX}/${left.sessionId}/${left.seq}`)
      .send({ handled: true })
      .expect(200);
    expect(again.body).toMatchObject({ handledBy: me.name || me.email, handledAt: marked.body.handledAt });
    // The transcript says so too.
    const transcript = (await t.api.get(`/api/kbs/${kbId}/conversations/${left.sessionId}`).expect(200)).body;
    expect(transcript.messages.find((m: Payload) => m.seq === left.seq)).toMatchObject({
      payload: { leftForAgent: true },
      handledBy: me.name || me.email,
    });

    const reopened = await agent.api
      .patch(`${INBOX}/${left.sessionId}/${left.seq}`)
      .send({ handled: false })
      .expect(200);
    expect(reopened.body).toMatchObject({ handled: false, handledAt: null, handledBy: null });
    expect(
      (await agent.api.get(`${INBOX}?handled=false`).expect(200)).body.map((m: Payload) => m.sessionId),
    ).toContain(left.sessionId);
  });

  it("records marking handled and reopening in the audit log of the message's organisation, without the customer's text", async () => {
    const left = await leaveMessage('换货地址变了，电话 13800000009');
    const target = `${left.sessionId}/${left.seq}`;
    const marked = (await agent.api.patch(`${INBOX}/${target}`).send({ handled: true }).expect(200)).body;
    await agent.api.patch(`${INBOX}/${target}`).send({ handled: false }).expect(200);
    // Refused marks leave no row.
    await agent.api
      .patch(`${INBOX}/${left.sessionId}/${left.seq + 1}`)
      .send({ handled: true })
      .expect(404);
    const b = await t.newOrganisation('Organisation C');
    await b.api.patch(`${INBOX}/${target}`).send({ handled: true }).expect(404);

    const log = (await t.api.get(`/api/organisations/${t.organisationId}/audit-log?limit=100`).expect(200))
      .body as Payload[];
    const ofMessage = log.filter((e) => e.targetId === target);
    expect(ofMessage.map((e) => e.action)).toEqual([
      'PATCH /api/agent/left-messages/:sessionId/:seq',
      'PATCH /api/agent/left-messages/:sessionId/:seq',
    ]);
    const [reopened, handled] = ofMessage;
    expect(handled).toMatchObject({
      actor: agent.email,
      actorUserId: agent.userId,
      kbId,
      before: { handled: false, handledAt: null, handledBy: null },
      after: { sessionId: left.sessionId, seq: left.seq, handled: true, handledAt: marked.handledAt },
    });
    expect(reopened).toMatchObject({
      actor: agent.email,
      kbId,
      before: { handled: true, handledAt: marked.handledAt, handledBy: marked.handledBy },
      after: { handled: false, handledAt: null, handledBy: null },
    });
    // The log outlives the conversation: it keeps who and when, not what the customer wrote.
    for (const e of ofMessage) expect(JSON.stringify(e)).not.toContain('13800000009');
    const ofB = (await b.api.get(`/api/organisations/${b.organisationId}/audit-log`).expect(200)).body;
    expect(ofB.filter((e: Payload) => e.action.includes('left-messages'))).toEqual([]);
  });

  it("lets an agent take a left message's session while its customer is still in the chat, and says so once they have gone", async () => {
    // Both messages are left while nobody is online; then an agent signs in.
    const staying = await offered();
    const left = await leave(staying, '发票抬头写错了，电话 13800000010');
    const going = await offered();
    const gone = await leave(going, '快递地址要改，邮箱 wang@example.com');
    going.customer.socket.disconnect();
    const desk = await agentSocket(agent);

    // The customer is still there: taken as a queued session is, the bot goes silent.
    const taken = await desk.send('agent:take', { sessionId: left.sessionId });
    expect(taken.error).toBeUndefined();
    expect(taken.messages.find((m: Payload) => m.seq === left.seq)).toMatchObject({ leftForAgent: true });
    expect(await staying.customer.waitFor('agent:joined')).toMatchObject({ event: 'agent_joined' });
    await desk.send('agent:message', { sessionId: left.sessionId, text: '您好，我来帮您改发票抬头。' });
    expect((await staying.customer.waitFor('agent:message')).text).toBe('您好，我来帮您改发票抬头。');
    const answer = await staying.customer.send('message', { clientId: 'thanks', text: '好的，谢谢' });
    expect((await desk.waitFor('customer:message', (m) => m.seq === answer.seq)).text).toBe('好的，谢谢');
    expect(staying.customer.received('bot:message').filter((m) => m.seq > left.seq + 1)).toEqual([]);

    // The other customer has gone: refused with a reason the console can act on, nothing stored.
    const refused = await desk.send('agent:take', { sessionId: gone.sessionId });
    expect(refused.error).toEqual({
      code: 'customer_offline',
      message: `the customer of session ${gone.sessionId} is no longer in the chat: answer the message they left through the contact details in it`,
    });
    const { rows } = await db.query(
      `SELECT max(seq) AS last, c.state->>'handoff' AS handoff FROM message m
       JOIN conversation c ON c.id = m.conversation_id WHERE c.id = $1 GROUP BY c.state`,
      [gone.sessionId],
    );
    expect(rows).toEqual([{ last: gone.seq + 1, handoff: 'bot' }]);

    // A session whose customer left no message is still not the agents' to take.
    const chatting = track(await connectChat(url, { key }));
    const ready = await chatting.send('session:start', {});
    await chatting.send('message', { clientId: 'q', text: '退货期限是多久？' });
    expect((await desk.send('agent:take', { sessionId: ready.sessionId })).error).toMatchObject({
      code: 'illegal_transition',
    });
  });

  it('answers bad input with a 4xx that says why', async () => {
    const left = await leaveMessage('请联系我 13800000001');
    const patch = (path: string, body: unknown) => agent.api.patch(`${INBOX}/${path}`).send(body as object);
    expect((await patch(`${left.sessionId}/${left.seq}`, {}).expect(400)).body.message).toMatch(/handled/);
    expect(
      (await patch(`${left.sessionId}/${left.seq}`, { handled: 'yes' }).expect(400)).body.message,
    ).toMatch(/handled must be a boolean/);
    expect((await patch(`${left.sessionId}/abc`, { handled: true }).expect(400)).body.message).toBe(
      'seq must be a message number (a whole number from 1), got "abc"',
    );
    expect(
      (await patch(`${left.sessionId}/99999999999`, { handled: true }).expect(400)).body.message,
    ).toMatch(/^seq must be a message number/);
    expect((await patch(`not-a-session/1`, { handled: true }).expect(404)).body.message).toBe(
      'session not-a-session not found',
    );
    // The bot's receipt is a message of the session, but not a left one.
    expect(
      (await patch(`${left.sessionId}/${left.seq + 1}`, { handled: true }).expect(404)).body.message,
    ).toBe(`session ${left.sessionId} has no left message ${left.seq + 1}`);
    await patch(`${UNKNOWN}/1`, { handled: true }).expect(404);
    expect((await agent.api.get(`${INBOX}?handled=maybe`).expect(400)).body.message).toMatch(/handled/);
    expect((await agent.api.get(`${INBOX}?limit=0`).expect(400)).body.message).toMatch(/limit/);
  });

  it("keeps another organisation's agents from seeing or marking them; viewers and strangers are refused", async () => {
    const left = await leaveMessage('地址写错了，电话 13800000002');
    const b = await t.newOrganisation('Organisation B');
    const agentB = await t.userWithRole('agent', b.organisationId);
    for (const other of [b, agentB]) {
      const res = await other.api.get(INBOX).expect(200);
      expect(res.body).toEqual([]);
      expect(res.headers['x-total-count']).toBe('0');
      await other.api.patch(`${INBOX}/${left.sessionId}/${left.seq}`).send({ handled: true }).expect(404);
    }
    const keyOfB = (
      await b.api.post(`/api/organisations/${b.organisationId}/api-keys`).send({ role: 'agent' }).expect(201)
    ).body.key;
    expect((await t.anonymous.get(INBOX).set('Authorization', `Bearer ${keyOfB}`).expect(200)).body).toEqual(
      [],
    );
    const { rows } = await db.query(
      `SELECT handled_at FROM message WHERE conversation_id = $1 AND seq = $2`,
      [left.sessionId, left.seq],
    );
    expect(rows).toEqual([{ handled_at: null }]);

    // A's own agent key, scoped to another KB of A: none of this KB's messages.
    const otherKb = await createKb(t.api, 'other kb');
    const scoped = (
      await t.api
        .post(`/api/organisations/${t.organisationId}/api-keys`)
        .send({ role: 'agent', kbId: otherKb })
        .expect(201)
    ).body.key;
    expect((await t.anonymous.get(INBOX).set('Authorization', `Bearer ${scoped}`).expect(200)).body).toEqual(
      [],
    );

    const viewer = await t.userWithRole('viewer');
    expect((await viewer.api.get(INBOX).expect(403)).body.message).toBe(
      'this needs the agent role (or above) in an organisation',
    );
    await viewer.api.patch(`${INBOX}/${left.sessionId}/${left.seq}`).send({ handled: true }).expect(403);
    await t.anonymous.get(INBOX).expect(401);
  });

  it('keeps an angry message sent while no agent is online as the start of the left message', async () => {
    // Customer QA: the complaint was apologised for and then lost; the customer had to write it again.
    const customer = track(await connectChat(url, { key }));
    const { sessionId } = await customer.send('session:start', {});
    const angry = await customer.send('message', {
      clientId: 'angry',
      text: '什么破服务，都三天了还没发货！',
    });
    const notice = await customer.waitFor('bot:message', (m) => m.seq === angry.seq + 1);
    expect(notice).toMatchObject({ kind: 'handoff', event: 'no_agent' });
    expect(notice.text).toContain('您的这条消息已留给人工客服');
    const rest = await leave({ customer, sessionId }, '订单号 20261203，手机 13900000000');

    const mine = (await agent.api.get(INBOX).expect(200)).body.filter(
      (m: Payload) => m.sessionId === sessionId,
    );
    // Newest first: what the customer added, then the complaint it follows.
    expect(mine.map((m: Payload) => [m.seq, m.text])).toEqual([
      [rest.seq, '订单号 20261203，手机 13900000000'],
      [angry.seq, '什么破服务，都三天了还没发货！'],
    ]);
  });
});
