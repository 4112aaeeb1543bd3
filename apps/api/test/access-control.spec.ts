/**
 * Access control against the real server: every route of access-rules.ts called by an anonymous
 * client and by each role (the allowed set follows the table, and a few rules are pinned here so a
 * loosened table fails too); organisation A never reaches organisation B's KB; CSRF; API keys with
 * scopes and revocation; login, logout and expired sessions; owners managing members.
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_RULES, roleAtLeast, type AccessRule, type Role } from '../src/auth/access-rules';
import { connectChat, listen } from './support/chat-client';
import { createKb, startTestApp, uploadAndWait, type SignedIn, type TestApp } from './support/test-app';
import type TestAgent from 'supertest/lib/agent';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

function allowed(rule: AccessRule, role: Role | 'anonymous'): boolean {
  if (rule.access === 'public') return true;
  if (role === 'anonymous') return false;
  if (rule.access === 'signed-in') return true;
  return roleAtLeast(role, rule.role);
}

describe('access control', () => {
  let t: TestApp;
  let kbId: string;
  let jobId: string;
  let faqId: string;
  const as: Partial<Record<Role, SignedIn>> = {};

  beforeAll(async () => {
    t = await startTestApp();
    kbId = await createKb(t.api, 'access kb', 'en');
    const [job] = await uploadAndWait(t.api, kbId, [
      { name: 'faq.csv', content: 'question,answer\nHow long is the return window?,Seven days.\n' },
    ]);
    jobId = job.id;
    faqId = (await t.api.get(`/api/kbs/${kbId}/faqs`).expect(200)).body[0].id;
    for (const role of ['viewer', 'agent', 'editor', 'owner'] as Role[])
      as[role] = await t.userWithRole(role);
  });
  afterAll(async () => t?.close());

  it('pins the rules that matter most', () => {
    const min = (key: string) => {
      const rule = ACCESS_RULES[key];
      return 'role' in rule ? rule.role : rule.access;
    };
    expect(min('DELETE /api/kbs/:id')).toBe('owner');
    expect(min('POST /api/organisations/:orgId/api-keys')).toBe('owner');
    expect(min('POST /api/organisations/:orgId/users')).toBe('owner');
    expect(min('PATCH /api/kbs/:id/faqs/:faqId')).toBe('editor');
    expect(min('POST /api/kbs/:id/documents')).toBe('editor');
    expect(min('GET /api/kbs/:id/export')).toBe('editor');
    expect(min('POST /api/kbs/:id/ask')).toBe('agent');
    expect(min('GET /api/kbs/:id/faqs')).toBe('viewer');
    expect(min('POST /api/auth/login')).toBe('public');
    const publicRoutes = Object.keys(ACCESS_RULES).filter((k) => ACCESS_RULES[k].access === 'public');
    expect(
      publicRoutes.every((k) =>
        /^GET \/(health|ready|demo|widget\.js|api\/docs|admin)|^POST \/api\/auth\/login$/.test(k),
      ),
    ).toBe(true);
  });

  it('answers every route for every role as the rule table says (401 anonymous, 403 below the role)', async () => {
    const victimKbs: string[] = [];
    const callers: [Role | 'anonymous', TestAgent][] = [
      ['anonymous', t.anonymous],
      ...(['viewer', 'agent', 'editor', 'owner'] as Role[]).map((r) => [r, as[r]!.api] as [Role, TestAgent]),
    ];
    // Logout last: it ends the caller's session.
    const keys = Object.keys(ACCESS_RULES).sort(
      (a, b) => Number(a.includes('logout')) - Number(b.includes('logout')),
    );
    const wrong: string[] = [];
    for (const key of keys) {
      const rule = ACCESS_RULES[key];
      const [method, route] = key.split(' ');
      for (const [role, signedIn] of callers) {
        // Logging out ends the session: with a fresh one.
        const api =
          key === 'POST /api/auth/logout' && role !== 'anonymous'
            ? (await t.login(as[role]!.email, 'test-user-password')).api
            : signedIn;
        let target = kbId;
        if (key === 'DELETE /api/kbs/:id') {
          // A KB of its own, so an allowed delete removes nothing another check needs.
          target = await createKb(t.api, `to delete by ${role}`);
          victimKbs.push(target);
        }
        const path = route
          .replace(':orgId', t.organisationId)
          .replace(':id', route.startsWith('/api/jobs') ? jobId : target)
          .replace(/:(faqId|docId|userId|keyId)/, UNKNOWN);
        const res = await api[method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete'](path).send(
          method === 'GET' || method === 'DELETE' ? undefined : {},
        );
        const expected = allowed(rule, role) ? 'allowed' : role === 'anonymous' ? 401 : 403;
        const got = res.status === 401 || res.status === 403 ? res.status : 'allowed';
        if (got !== expected) wrong.push(`${key} as ${role}: expected ${expected}, got ${res.status}`);
      }
    }
    expect(wrong).toEqual([]);
    // The deletes really happened for the owner only.
    expect((await t.api.get('/api/kbs').expect(200)).body.map((kb: { id: string }) => kb.id)).toEqual(
      expect.not.arrayContaining([victimKbs[victimKbs.length - 1]]),
    );
    await t.api.get(`/api/kbs/${victimKbs[0]}`).expect(200);
    // Sanity: the FAQ the editors could have changed is still there (the PATCH bodies were empty).
    await t.api.get(`/api/kbs/${kbId}/faqs/${faqId}`).expect(200);
  });

  describe('organisations are isolated', () => {
    let b: SignedIn & { organisationId: string };
    beforeAll(async () => {
      b = await t.newOrganisation('Organisation B');
    });

    it("never lets organisation B read, list, search, ask, export, upload to or see jobs of A's KB", async () => {
      const notFound = async (p: Promise<{ status: number; body: { message?: string } }>) => {
        const res = await p;
        expect(res.status).toBe(404);
      };
      expect((await b.api.get('/api/kbs').expect(200)).body).toEqual([]);
      await notFound(b.api.get(`/api/kbs/${kbId}`));
      await notFound(b.api.get(`/api/kbs/${kbId}/faqs`));
      await notFound(b.api.get(`/api/kbs/${kbId}/faqs/${faqId}`));
      await notFound(b.api.patch(`/api/kbs/${kbId}/faqs/${faqId}`).send({ answer: 'planted' }));
      await notFound(b.api.post(`/api/kbs/${kbId}/faqs`).send({ question: 'q?', answer: 'planted' }));
      await notFound(b.api.get(`/api/kbs/${kbId}/documents`));
      await notFound(b.api.post(`/api/kbs/${kbId}/ask`).send({ question: 'How long is the return window?' }));
      await notFound(b.api.get(`/api/kbs/${kbId}/export`));
      await notFound(
        b.api.post(`/api/kbs/${kbId}/documents`).attach('files', Buffer.from('q,a\nx,y\n'), 'x.csv'),
      );
      await notFound(b.api.get(`/api/jobs/${jobId}`));
      await notFound(b.api.get(`/api/jobs/${jobId}/events`));
      await notFound(b.api.get(`/api/kbs/${kbId}/widget-keys`));
      await notFound(b.api.patch(`/api/kbs/${kbId}`).send({ name: 'taken' }));
      await notFound(b.api.delete(`/api/kbs/${kbId}`));
      // Nor through its own organisation's routes with A's ids.
      await notFound(b.api.get(`/api/organisations/${t.organisationId}/users`));
      await notFound(
        b.api.post(`/api/kbs?organisationId=${t.organisationId}`).send({ name: 'x', language: 'en' }),
      );
      await notFound(
        b.api.post('/api/kbs').send({ name: 'x', language: 'en', organisationId: t.organisationId }),
      );
      const keyOfB = (
        await b.api.post(`/api/organisations/${b.organisationId}/api-keys`).send({}).expect(201)
      ).body.key;
      await notFound(
        t.anonymous
          .post(`/api/kbs/${kbId}/ask`)
          .set('Authorization', `Bearer ${keyOfB}`)
          .send({ question: 'x' }),
      );
      await notFound(b.api.post(`/api/organisations/${b.organisationId}/api-keys`).send({ kbId }));
      // A is unchanged.
      const faq = (await t.api.get(`/api/kbs/${kbId}/faqs/${faqId}`).expect(200)).body;
      expect(faq.answer).toBe('Seven days.');
      expect((await t.api.get(`/api/kbs/${kbId}`).expect(200)).body.name).toBe('access kb');
      // B's own KB works for B and is invisible to A.
      const own = (await b.api.post('/api/kbs').send({ name: 'B kb', language: 'en' }).expect(201)).body;
      expect(own.organisationId).toBe(b.organisationId);
      expect((await t.api.get('/api/kbs').expect(200)).body.map((k: { id: string }) => k.id)).not.toContain(
        own.id,
      );
      await t.api.get(`/api/kbs/${own.id}`).expect(404);
    });
    it("keeps B's agents from hearing of, taking or writing to A's customers; agents need the CSRF token and the agent role", async () => {
      const url = await listen(t);
      const key = (await t.api.post(`/api/kbs/${kbId}/widget-keys`).send({}).expect(201)).body.key as string;
      const signedIn = (s: SignedIn) =>
        connectChat(url, { agent: true, csrfToken: s.csrfToken }, { cookie: s.cookie });
      const agentA = await signedIn(t.owner);
      const agentB = await signedIn(b);
      const keyOfB = (
        await b.api.post(`/api/organisations/${b.organisationId}/api-keys`).send({}).expect(201)
      ).body.key as string;
      const keyAgentB = await connectChat(url, { agent: true, apiKey: keyOfB });
      const sockets = [agentA, agentB, keyAgentB];
      try {
        // A signed-in agent is shown as itself (its name, else email), whatever name it sends.
        expect(await agentA.send('agent:join', { name: 'alice' })).toMatchObject({
          agentId: 'owner@test.wendao',
        });
        expect(await agentB.send('agent:join', {})).toMatchObject({ queue: [] });
        expect(await keyAgentB.send('agent:join', {})).toMatchObject({ queue: [] });
        const customer = await connectChat(url, { key });
        sockets.push(customer);
        const ready = await customer.send('session:start', {});
        await customer.send('handoff:request', { clientId: 'h-1' });
        expect(await agentA.waitFor('agent:queue')).toMatchObject({ sessionId: ready.sessionId, kbId });
        for (const other of [agentB, keyAgentB]) {
          expect((await other.send('agent:join', {})).queue).toEqual([]);
          expect((await other.send('agent:take', { sessionId: ready.sessionId })).error).toMatchObject({
            code: 'not_found',
          });
          expect(
            (await other.send('agent:message', { sessionId: ready.sessionId, text: 'planted' })).error,
          ).toMatchObject({ code: 'not_found' });
          expect(other.received('agent:queue')).toEqual([]);
        }
        expect((await agentA.send('agent:take', { sessionId: ready.sessionId })).kbId).toBe(kbId);
        expect(agentB.received('agent:taken')).toEqual([]);
        expect(customer.received('agent:message')).toEqual([]);
      } finally {
        for (const s of sockets) s.socket.disconnect();
      }
      // The cookie alone (no CSRF token, as a cross-site page would have it) or a viewer's session: refused.
      await expect(connectChat(url, { agent: true }, { cookie: b.cookie })).rejects.toThrow(/CSRF/);
      await expect(signedIn(as.viewer!)).rejects.toThrow(/agent role/);
    });
  });

  it('answers ids that are not UUIDs with a 404 at the edge', async () => {
    const msg = async (path: string, method: 'get' | 'delete' = 'get') =>
      (await t.api[method](path).expect(404)).body.message as string;
    expect(await msg('/api/kbs/not-a-uuid')).toBe('knowledge base not-a-uuid not found');
    expect(await msg('/api/jobs/x')).toBe('job x not found');
    expect(await msg('/api/jobs/x/events')).toBe('job x not found');
    expect(await msg(`/api/kbs/${kbId}/documents/x/passages`)).toBe('document x not found');
    expect(await msg(`/api/kbs/${kbId}/documents/x`, 'delete')).toBe('document x not found');
    expect(await msg(`/api/kbs/${kbId}/faqs/x`)).toBe('FAQ entry x not found');
    expect(await msg(`/api/kbs/${kbId}/faqs/x`, 'delete')).toBe('FAQ entry x not found');
  });

  it('refuses a cookie-authenticated write without the X-CSRF-Token header', async () => {
    const login = await t.anonymous
      .post('/api/auth/login')
      .send({ email: 'owner@test.wendao', password: 'test-owner-password' })
      .expect(200);
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const owner = { csrfToken: login.body.csrfToken as string };
    const raw = t.anonymous;
    const noHeader = await raw
      .post(`/api/kbs/${kbId}/faqs`)
      .set('Cookie', cookie)
      .send({ question: 'csrf?', answer: 'x' });
    expect(noHeader.status).toBe(403);
    expect(noHeader.body.message).toMatch(/X-CSRF-Token/);
    const wrongHeader = await raw
      .post(`/api/kbs/${kbId}/faqs`)
      .set('Cookie', cookie)
      .set('X-CSRF-Token', 'guess')
      .send({ question: 'csrf?', answer: 'x' });
    expect(wrongHeader.status).toBe(403);
    expect(wrongHeader.body.message).toMatch(/X-CSRF-Token header is not this session's token/);
    // Reads need no header; the right header lets the write through.
    await raw.get(`/api/kbs/${kbId}/faqs`).set('Cookie', cookie).expect(200);
    await raw
      .post(`/api/kbs/${kbId}/faqs`)
      .set('Cookie', cookie)
      .set('X-CSRF-Token', owner.csrfToken)
      .send({ question: 'csrf?', answer: 'x' })
      .expect(201);
    const faqs = (await t.api.get(`/api/kbs/${kbId}/faqs`).expect(200)).body as { question: string }[];
    expect(faqs.filter((f) => f.question === 'csrf?')).toHaveLength(1);
  });

  it('accepts API keys as Bearer tokens per their role and KB scope, shows the secret once and honours revocation', async () => {
    const otherKb = await createKb(t.api, 'second kb', 'en');
    const keys = `/api/organisations/${t.organisationId}/api-keys`;
    const scoped = (await t.api.post(keys).send({ name: 'shop', kbId }).expect(201)).body;
    expect(scoped.key).toMatch(/^wdk_/);
    expect(scoped).toMatchObject({ name: 'shop', kbId, role: 'agent' });
    const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
    const ask = (kb: string, key: string) =>
      t.anonymous
        .post(`/api/kbs/${kb}/ask`)
        .set(bearer(key))
        .send({ question: 'How long is the return window?' });
    const answered = await ask(kbId, scoped.key);
    expect(answered.status).toBe(200);
    expect(answered.body.answer).toBe('Seven days.');
    expect((await ask(otherKb, scoped.key)).status).toBe(404);
    // An agent key cannot change content; no CSRF header is needed without a cookie.
    expect(
      (
        await t.anonymous
          .post(`/api/kbs/${kbId}/faqs`)
          .set(bearer(scoped.key))
          .send({ question: 'k?', answer: 'k' })
      ).status,
    ).toBe(403);
    const viewerKey = (await t.api.post(keys).send({ role: 'viewer' }).expect(201)).body.key;
    expect((await ask(kbId, viewerKey)).status).toBe(403);
    await t.anonymous.get(`/api/kbs/${otherKb}/faqs`).set(bearer(viewerKey)).expect(200);
    await t.api.post(keys).send({ role: 'owner' }).expect(400);
    // Listed without the secret; only its hash is stored.
    const listed = (await t.api.get(keys).expect(200)).body as Record<string, unknown>[];
    expect(listed.length).toBeGreaterThanOrEqual(2);
    for (const k of listed) expect(k).not.toHaveProperty('key');
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const stored = (await db.query('SELECT key_hash::text AS h FROM api_key')).rows.map(
        (r) => r.h as string,
      );
      expect(stored.some((h) => h.includes(scoped.key))).toBe(false);
      // last_used_at is written on use, at most once a minute.
      const lastUsed = async () =>
        (await db.query('SELECT last_used_at AS t FROM api_key WHERE id = $1', [scoped.id])).rows[0]
          .t as Date | null;
      const first = await lastUsed();
      expect(first).toBeInstanceOf(Date);
      expect((await ask(kbId, scoped.key)).status).toBe(200);
      expect(await lastUsed()).toEqual(first);
      await db.query(`UPDATE api_key SET last_used_at = now() - interval '2 minutes' WHERE id = $1`, [
        scoped.id,
      ]);
      expect((await ask(kbId, scoped.key)).status).toBe(200);
      expect(Date.now() - (await lastUsed())!.getTime()).toBeLessThan(60_000);
    } finally {
      await db.end();
    }
    await t.api.delete(`${keys}/${scoped.id}`).expect(204);
    const revoked = await ask(kbId, scoped.key);
    expect(revoked.status).toBe(401);
    expect((await t.anonymous.get('/api/kbs').set(bearer('wdk_made-up')).expect(401)).body.message).toMatch(
      /API key/,
    );
    // Keys are for owners to manage.
    await as.editor!.api.post(keys).send({}).expect(403);
  });

  it('logs in, answers /me, logs out, and refuses expired sessions', async () => {
    await t.anonymous
      .post('/api/auth/login')
      .send({ email: 'owner@test.wendao', password: 'wrong password' })
      .expect(401);
    await t.anonymous
      .post('/api/auth/login')
      .send({ email: 'nobody@test.wendao', password: 'whatever1' })
      .expect(401);
    const res = await t.anonymous
      .post('/api/auth/login')
      .send({ email: 'OWNER@test.wendao', password: 'test-owner-password' })
      .expect(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/wendao_session=/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\//);
    expect(res.body).toMatchObject({
      user: { email: 'owner@test.wendao' },
      memberships: [
        { organisationId: t.organisationId, organisationName: 'Test organisation', role: 'owner' },
      ],
    });
    expect(typeof res.body.csrfToken).toBe('string');
    await t.anonymous.get('/api/auth/me').expect(401);

    const s = await t.login('owner@test.wendao', 'test-owner-password');
    const me = (await s.api.get('/api/auth/me').expect(200)).body;
    expect(me.csrfToken).toBe(s.csrfToken);
    await s.api.post('/api/auth/logout').expect(204);
    await s.api.get('/api/auth/me').expect(401);

    const e = await t.login('owner@test.wendao', 'test-owner-password');
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const before = (await db.query('SELECT count(*)::int AS n FROM login_session')).rows[0].n as number;
      await db.query(
        `UPDATE login_session SET expires_at = now() - interval '1 second'
         WHERE id = (SELECT id FROM login_session ORDER BY created_at DESC LIMIT 1)`,
      );
      const expired = await e.api.get('/api/kbs');
      expect(expired.status).toBe(401);
      expect(expired.body.message).toMatch(/expired/);
      expect((await db.query('SELECT count(*)::int AS n FROM login_session')).rows[0].n).toBe(before - 1);
    } finally {
      await db.end();
    }
  });

  it('lets owners add members, change roles and remove them, keeping one owner', async () => {
    const users = `/api/organisations/${t.organisationId}/users`;
    const added = (
      await t.api
        .post(users)
        .send({ email: 'new.agent@test.wendao', role: 'agent', password: 'agent-password' })
        .expect(201)
    ).body;
    expect(added).toMatchObject({ email: 'new.agent@test.wendao', role: 'agent' });
    await t.api.post(users).send({ email: 'new.agent@test.wendao', role: 'viewer' }).expect(409);
    await t.api.post(users).send({ email: 'nopassword@test.wendao', role: 'viewer' }).expect(400);
    const agent = await t.login('new.agent@test.wendao', 'agent-password');
    const refused = await agent.api
      .post(`/api/kbs/${kbId}/faqs`)
      .send({ question: 'a?', answer: 'a' })
      .expect(403);
    // The refusal names the role and where it counts (it read "the organisation's organisation").
    expect(refused.body.message).toBe(
      "this needs the editor role (or above) in the knowledge base's organisation; you have agent",
    );
    expect((await agent.api.get(users).expect(403)).body.message).toBe(
      'this needs the owner role (or above) in this organisation; you have agent',
    );
    await t.api.patch(`${users}/${added.userId}`).send({ role: 'editor' }).expect(200);
    await agent.api.post(`/api/kbs/${kbId}/faqs`).send({ question: 'a?', answer: 'a' }).expect(201);
    await t.api.delete(`${users}/${added.userId}`).expect(204);
    // The removal takes effect on the next request of a session already open.
    await agent.api.get(`/api/kbs/${kbId}`).expect(404);
    const ownerId = (await t.api.get('/api/auth/me').expect(200)).body.user.id as string;
    const members = (await t.api.get(users).expect(200)).body as { userId: string; role: string }[];
    for (const m of members)
      if (m.role === 'owner' && m.userId !== ownerId) await t.api.delete(`${users}/${m.userId}`).expect(204);
    expect(
      (await t.api.patch(`${users}/${ownerId}`).send({ role: 'viewer' }).expect(409)).body.message,
    ).toMatch(/owner/);
    await t.api.delete(`${users}/${ownerId}`).expect(409);
  });
});
