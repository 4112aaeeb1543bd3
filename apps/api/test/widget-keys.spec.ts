/**
 * Managing widget keys against the real server, PostgreSQL and socket.io: a key lists when it was
 * last used; editing its origins closes the sockets of pages it no longer allows; revoking it refuses
 * new connections and disconnects the open ones with a reason; editors only, within their
 * organisation; every change in the audit log with the key's state before.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ChatGateway } from '../src/chat/chat.gateway';
import { ChatClient, connectChat, listen, type Payload } from './support/chat-client';
import { createKb, startTestApp, type TestApp } from './support/test-app';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** Resolves with the reason once the server disconnects the client (rejects after 5 s). */
function disconnected(client: ChatClient): Promise<string> {
  if (!client.socket.connected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('still connected after 5 s')), 5000);
    client.socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

describe('widget keys: edit, revoke', () => {
  let t: TestApp;
  let url: string;
  let kbId: string;
  const clients: ChatClient[] = [];
  const keys = () => `/api/kbs/${kbId}/widget-keys`;

  const connect = async (key: string, origin?: string): Promise<ChatClient> => {
    const client = await connectChat(url, { key }, origin ? { origin } : {});
    clients.push(client);
    return client;
  };
  const create = async (allowedOrigins?: string[]): Promise<Payload> =>
    (
      await t.api
        .post(keys())
        .send(allowedOrigins ? { allowedOrigins } : {})
        .expect(201)
    ).body;
  const listed = async (id: string): Promise<Payload> =>
    (await t.api.get(keys()).expect(200)).body.find((k: Payload) => k.id === id);

  beforeAll(async () => {
    t = await startTestApp();
    kbId = await createKb(t.api, 'widget keys', 'zh');
    url = await listen(t);
  });

  afterEach(() => {
    for (const c of clients.splice(0)) c.socket.disconnect();
  });

  afterAll(async () => t?.close());

  it('revokes a key: 204, new connections refused, open sockets told why and disconnected, others untouched', async () => {
    const leaked = await create();
    const other = await create();
    expect(leaked).toMatchObject({ kbId, allowedOrigins: [], lastUsedAt: null, revokedAt: null });

    const open = await connect(leaked.key);
    const ready = await open.send('session:start', {});
    expect(ready.sessionId).toEqual(expect.any(String));
    const bystander = await connect(other.key);
    // A connection marks the key used (the mark is written after the socket joins its key's room).
    await expect.poll(async () => (await listed(leaked.id)).lastUsedAt, { timeout: 5000 }).not.toBeNull();

    const gone = disconnected(open);
    await t.api.delete(`${keys()}/${leaked.id}`).expect(204);
    // The server's disconnect: socket.io clients do not reconnect by themselves after it.
    expect(await gone).toBe('io server disconnect');
    expect(open.received('error')).toEqual([
      { code: 'forbidden', message: 'this widget key has been revoked', event: 'connection' },
    ]);
    await expect(connect(leaked.key)).rejects.toMatchObject({
      message: 'this widget key has been revoked',
      data: { code: 'forbidden', message: 'this widget key has been revoked' },
    });

    // The other key's socket is still served.
    expect(bystander.socket.connected).toBe(true);
    expect((await bystander.send('session:start', {})).sessionId).toEqual(expect.any(String));

    // The revoked key stays listed, marked; revoking it again changes nothing.
    const revoked = await listed(leaked.id);
    expect(revoked.revokedAt).toEqual(expect.any(String));
    await t.api.delete(`${keys()}/${leaked.id}`).expect(204);
    expect((await listed(leaked.id)).revokedAt).toBe(revoked.revokedAt);
    expect((await listed(other.id)).revokedAt).toBeNull();
    // A revoked key's origins cannot be edited: a new key is the way.
    const edit = await t.api.patch(`${keys()}/${leaked.id}`).send({ allowedOrigins: [] }).expect(409);
    expect(edit.body.message).toBe(`widget key ${leaked.id} is revoked: create a new key instead`);
  });

  it('edits allowed origins: normalised, bad ones refused, and open sockets of pages left out are closed', async () => {
    const key = await create(['https://a.example.com', 'https://b.example.com']);
    const fromA = await connect(key.key, 'https://a.example.com');
    const fromB = await connect(key.key, 'https://b.example.com');
    const goneB = disconnected(fromB);

    const bad = await t.api
      .patch(`${keys()}/${key.id}`)
      .send({ allowedOrigins: ['https://a.example.com', 'a.example.com/shop'] })
      .expect(400);
    expect(bad.body.message).toMatch(
      /^allowedOrigins\[1\] must be an origin such as https:\/\/shop\.example\.com/,
    );
    const notArray = await t.api.patch(`${keys()}/${key.id}`).send({ allowedOrigins: 'x' }).expect(400);
    expect(notArray.body.message).toMatch(/allowedOrigins must be an array/);
    // Nothing changed by the refused edits.
    expect((await listed(key.id)).allowedOrigins).toEqual(['https://a.example.com', 'https://b.example.com']);

    const edited = await t.api
      .patch(`${keys()}/${key.id}`)
      .send({ allowedOrigins: ['https://a.example.com/', 'https://c.example.com'] })
      .expect(200);
    expect(edited.body).toMatchObject({
      id: key.id,
      allowedOrigins: ['https://a.example.com', 'https://c.example.com'],
      revokedAt: null,
    });
    expect(await goneB).toBe('io server disconnect');
    expect(fromB.received('error')).toEqual([
      {
        code: 'forbidden',
        message: 'this page is no longer allowed to use this widget key',
        event: 'connection',
      },
    ]);
    expect(fromA.socket.connected).toBe(true);
    await expect(connect(key.key, 'https://b.example.com')).rejects.toThrow(
      'origin https://b.example.com is not allowed to use this widget key',
    );
    await connect(key.key, 'https://c.example.com');

    // Back to any origin: nobody is disconnected.
    await t.api.patch(`${keys()}/${key.id}`).send({ allowedOrigins: [] }).expect(200);
    await connect(key.key, 'https://d.example.com');
    expect(fromA.socket.connected).toBe(true);
  });

  it('refuses at its next event a socket that the edit or revocation broadcast missed (a replica that did not answer)', async () => {
    const gateway = t.wendao.app.get(ChatGateway);
    // The broadcasts go nowhere, as when a replica does not answer the Redis adapter in time.
    const missed = [
      vi.spyOn(gateway, 'disconnectWidgetKeyOrigins').mockResolvedValue(0),
      vi.spyOn(gateway, 'disconnectWidgetKey').mockReturnValue(undefined),
    ];
    try {
      const key = await create(['https://a.example.com', 'https://b.example.com']);
      const fromA = await connect(key.key, 'https://a.example.com');
      const fromB = await connect(key.key, 'https://b.example.com');
      expect((await fromB.send('session:start', {})).sessionId).toEqual(expect.any(String));
      expect((await fromA.send('session:start', {})).sessionId).toEqual(expect.any(String));

      await t.api
        .patch(`${keys()}/${key.id}`)
        .send({ allowedOrigins: ['https://a.example.com'] })
        .expect(200);
      expect(fromB.socket.connected).toBe(true);
      const goneB = disconnected(fromB);
      const refused = await fromB.send('message', { text: '运费怎么算？', clientId: 'c1' });
      expect(refused).toEqual({
        error: { code: 'forbidden', message: 'this page is no longer allowed to use this widget key' },
      });
      expect(await goneB).toBe('io server disconnect');
      // The page still allowed goes on.
      expect((await fromA.send('message', { text: '运费怎么算？', clientId: 'c2' })).seq).toEqual(
        expect.any(Number),
      );

      await t.api.delete(`${keys()}/${key.id}`).expect(204);
      expect(fromA.socket.connected).toBe(true);
      const goneA = disconnected(fromA);
      expect(await fromA.send('message', { text: '你好', clientId: 'c3' })).toEqual({
        error: { code: 'forbidden', message: 'this widget key has been revoked' },
      });
      expect(await goneA).toBe('io server disconnect');
    } finally {
      for (const spy of missed) spy.mockRestore();
    }
  });

  it('names keys: trimmed, optional, edited alone or with the origins, cleared; bad names are 400s that change nothing', async () => {
    const shop = (await t.api.post(keys()).send({ name: '  Shop A (www)  ' }).expect(201)).body;
    expect(shop).toMatchObject({ name: 'Shop A (www)', allowedOrigins: [] });
    expect((await create()).name).toBeNull();
    expect((await t.api.post(keys()).send({ name: '   ' }).expect(201)).body.name).toBeNull();
    expect((await listed(shop.id)).name).toBe('Shop A (www)');

    const count = async () => (await t.api.get(keys()).expect(200)).body.length;
    const before = await count();
    const refused = async (body: object) => (await t.api.post(keys()).send(body).expect(400)).body.message;
    expect(await refused({ name: 'x'.repeat(81) })).toBe('name is too long (81 characters; the limit is 80)');
    // Characters, not UTF-16 units: 80 emoji fit.
    const emoji = (
      await t.api
        .post(keys())
        .send({ name: '🛒'.repeat(80) })
        .expect(201)
    ).body;
    expect(emoji.name).toBe('🛒'.repeat(80));
    expect(await refused({ name: 42 })).toMatch(/^name must be a string/);
    expect(await refused({ name: 'Shop\nB' })).toBe(
      'name must be one line of text without control characters',
    );
    expect(await count()).toBe(before + 1);

    const edit = (body: object) => t.api.patch(`${keys()}/${shop.id}`).send(body);
    // The name alone: the origins stay.
    await edit({ allowedOrigins: ['https://a.example.com'] }).expect(200);
    const renamed = (await edit({ name: ' Shop B ' }).expect(200)).body;
    expect(renamed).toMatchObject({ name: 'Shop B', allowedOrigins: ['https://a.example.com'] });
    // The origins alone: the name stays.
    expect((await edit({ allowedOrigins: [] }).expect(200)).body).toMatchObject({
      name: 'Shop B',
      allowedOrigins: [],
    });
    const both = (await edit({ name: 'Shop C', allowedOrigins: ['https://c.example.com'] }).expect(200)).body;
    expect(both).toMatchObject({ name: 'Shop C', allowedOrigins: ['https://c.example.com'] });
    expect((await edit({ name: 'y'.repeat(200) }).expect(400)).body.message).toBe(
      'name is too long (200 characters; the limit is 80)',
    );
    // A bad origin with a good name: nothing of it is stored.
    expect((await edit({ name: 'Shop D', allowedOrigins: ['nope'] }).expect(400)).body.message).toMatch(
      /^allowedOrigins\[0\] must be an origin/,
    );
    expect((await edit({}).expect(400)).body.message).toBe(
      'nothing to change: send name, allowedOrigins or both',
    );
    expect(await listed(shop.id)).toMatchObject({
      name: 'Shop C',
      allowedOrigins: ['https://c.example.com'],
    });
    expect((await edit({ name: null }).expect(200)).body.name).toBeNull();
    await edit({ name: 'Shop E' }).expect(200);
    expect((await edit({ name: '' }).expect(200)).body.name).toBeNull();

    await t.api.delete(`${keys()}/${shop.id}`).expect(204);
    expect((await edit({ name: 'after' }).expect(409)).body.message).toBe(
      `widget key ${shop.id} is revoked: create a new key instead`,
    );
  });

  it('answers 404 for an unknown key, a malformed id and a key of another KB', async () => {
    const key = await create();
    const otherKb = await createKb(t.api, 'another kb', 'en');
    for (const id of [UNKNOWN, 'not-a-uuid']) {
      const res = await t.api.delete(`${keys()}/${id}`).expect(404);
      expect(res.body.message).toBe(`widget key ${id} not found`);
      await t.api.patch(`${keys()}/${id}`).send({ allowedOrigins: [] }).expect(404);
    }
    // The key exists, but not in that KB.
    await t.api.delete(`/api/kbs/${otherKb}/widget-keys/${key.id}`).expect(404);
    await t.api.patch(`/api/kbs/${otherKb}/widget-keys/${key.id}`).send({ allowedOrigins: [] }).expect(404);
    expect((await listed(key.id)).revokedAt).toBeNull();
  });

  it('lets editors revoke and edit; viewers and agents get 403, another organisation 404', async () => {
    const key = await create();
    const open = await connect(key.key);
    for (const role of ['viewer', 'agent'] as const) {
      const user = await t.userWithRole(role);
      await user.api.delete(`${keys()}/${key.id}`).expect(403);
      await user.api.patch(`${keys()}/${key.id}`).send({ allowedOrigins: [] }).expect(403);
      // They still see the keys (and the snippet) they may not change.
      await user.api.get(keys()).expect(200);
    }
    const b = await t.newOrganisation('Organisation B');
    await b.api.delete(`${keys()}/${key.id}`).expect(404);
    await b.api
      .patch(`${keys()}/${key.id}`)
      .send({ allowedOrigins: ['https://b.example'] })
      .expect(404);
    // Not through B's own KB either.
    const kbOfB = await createKb(b.api, 'B kb', 'en');
    await b.api.delete(`/api/kbs/${kbOfB}/widget-keys/${key.id}`).expect(404);
    expect(await listed(key.id)).toMatchObject({ allowedOrigins: [], revokedAt: null });
    expect(open.socket.connected).toBe(true);

    const editor = await t.userWithRole('editor');
    await editor.api.patch(`${keys()}/${key.id}`).send({ allowedOrigins: [] }).expect(200);
    const gone = disconnected(open);
    await editor.api.delete(`${keys()}/${key.id}`).expect(204);
    expect(await gone).toBe('io server disconnect');
  });

  it('records creating, editing and revoking a key in the audit log, with the key before and never its secret', async () => {
    const key = (
      await t.api
        .post(keys())
        .send({ name: 'Shop', allowedOrigins: ['https://shop.example.com'] })
        .expect(201)
    ).body;
    await t.api
      .patch(`${keys()}/${key.id}`)
      .send({ name: 'Shop (new site)', allowedOrigins: ['https://new.example.com'] })
      .expect(200);
    await t.api.delete(`${keys()}/${key.id}`).expect(204);
    // Refused changes leave no row.
    await t.api.delete(`${keys()}/${UNKNOWN}`).expect(404);
    await t.api.patch(`${keys()}/${key.id}`).send({ allowedOrigins: [] }).expect(409);

    const log = (await t.api.get(`/api/organisations/${t.organisationId}/audit-log?limit=100`).expect(200))
      .body as Payload[];
    const ofKey = log.filter((e) => e.targetId === key.id || e.targetId === UNKNOWN);
    expect(ofKey.map((e) => e.action)).toEqual([
      'DELETE /api/kbs/:id/widget-keys/:keyId',
      'PATCH /api/kbs/:id/widget-keys/:keyId',
      'POST /api/kbs/:id/widget-keys',
    ]);
    const [revoked, edited, created] = ofKey;
    expect(created).toMatchObject({
      actor: 'owner@test.wendao',
      kbId,
      before: null,
      after: { id: key.id, name: 'Shop', allowedOrigins: ['https://shop.example.com'], revokedAt: null },
    });
    expect(edited).toMatchObject({
      kbId,
      before: { name: 'Shop', allowedOrigins: ['https://shop.example.com'], revokedAt: null },
      after: { name: 'Shop (new site)', allowedOrigins: ['https://new.example.com'] },
    });
    expect(revoked).toMatchObject({
      kbId,
      before: { name: 'Shop (new site)', allowedOrigins: ['https://new.example.com'], revokedAt: null },
      after: null,
    });
    for (const e of ofKey) expect(JSON.stringify(e)).not.toContain(key.key);
  });
});

describe('the demo page after its widget key is revoked', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ demo: true });
  });
  afterAll(async () => t?.close());

  it('embeds a new key, not the revoked one', async () => {
    const embedded = async () =>
      /data-key="(wk_[^"]+)"/.exec((await t.anonymous.get('/demo').expect(200)).text)![1];
    const kbId = (await t.api.get('/api/kbs').expect(200)).body[0].id;
    const [seeded] = (await t.api.get(`/api/kbs/${kbId}/widget-keys`).expect(200)).body;
    expect(await embedded()).toBe(seeded.key);
    // Named, so that the admin knows what uses it.
    expect(seeded.name).toBe('Demo page (/demo)');
    await t.api.delete(`/api/kbs/${kbId}/widget-keys/${seeded.id}`).expect(204);
    const fresh = await embedded();
    expect(fresh).not.toBe(seeded.key);
    const keys = (await t.api.get(`/api/kbs/${kbId}/widget-keys`).expect(200)).body as Payload[];
    expect(keys.find((k) => k.key === fresh)).toMatchObject({
      revokedAt: null,
      name: 'Demo page (/demo)',
      allowedOrigins: seeded.allowedOrigins,
    });
    // And it stays the one embedded.
    expect(await embedded()).toBe(fresh);
  });
});
