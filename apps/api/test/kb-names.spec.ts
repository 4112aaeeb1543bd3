/**
 * A knowledge base's name is its organisation's only: a second KB named alike (in any case) is
 * refused with a 409 the console words, on creation and on rename, and nothing is stored; another
 * organisation may use the name. Requests at the same instant get the same 409 (the database's
 * unique index); migration 1767100000000's handling of older duplicates is kb-name-unique.spec's.
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKb, startTestApp, type TestApp } from './support/test-app';

describe('knowledge base names', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const names = async () =>
    ((await t.api.get('/api/kbs').expect(200)).body as { name: string }[]).map((kb) => kb.name).sort();

  it('refuses a second KB of the same name in the organisation, in any case, and stores nothing', async () => {
    await createKb(t.api, 'After-sales', 'en');
    for (const name of ['After-sales', ' after-SALES ']) {
      const refused = await t.api.post('/api/kbs').send({ name, language: 'zh' }).expect(409);
      expect(refused.body).toMatchObject({
        message: `the organisation already has a knowledge base named "${name.trim()}"`,
        code: 'kb_name_taken',
        values: { name: name.trim() },
      });
    }
    expect(await names()).toEqual(['After-sales']);

    // Another organisation's KBs are its own business.
    const other = await t.newOrganisation('Other shop');
    await other.api.post('/api/kbs').send({ name: 'After-sales', language: 'en' }).expect(201);
  });

  it('refuses a rename to another KB name, but lets a KB change the case of its own', async () => {
    const id = await createKb(t.api, 'Shipping', 'en');
    const refused = await t.api.patch(`/api/kbs/${id}`).send({ name: 'after-sales', faqThreshold: 0.5 });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('kb_name_taken');
    // Nothing of the refused PATCH was saved.
    expect((await t.api.get(`/api/kbs/${id}`).expect(200)).body).toMatchObject({
      name: 'Shipping',
      faqThreshold: null,
    });
    const renamed = (await t.api.patch(`/api/kbs/${id}`).send({ name: 'SHIPPING' }).expect(200)).body;
    expect(renamed.name).toBe('SHIPPING');
  });

  it('gives exactly one of two concurrent creates of a name the KB, the other the same 409', async () => {
    // Each pair's two requests run at once: both read the name as free before either inserts, and
    // only the unique index (migration 1767100000000) can refuse the second insert.
    const pairs = ['Race 1', 'Race 2', 'Race 3', 'Race 4', 'Race 5'];
    const answers = await Promise.all(
      pairs.flatMap((name) =>
        [name, name.toUpperCase()].map((n) => t.api.post('/api/kbs').send({ name: n, language: 'en' })),
      ),
    );
    for (let i = 0; i < pairs.length; i++) {
      const pair = answers.slice(2 * i, 2 * i + 2);
      expect(pair.map((a) => a.status).sort()).toEqual([201, 409]);
      const refused = pair.find((a) => a.status === 409)!;
      expect(refused.body).toMatchObject({ code: 'kb_name_taken', statusCode: 409 });
    }
    expect((await names()).filter((n) => n.toLowerCase().startsWith('race '))).toHaveLength(pairs.length);
  });

  it('gives one of a concurrent create and rename to one name the name, the other a 409', async () => {
    const ids = await Promise.all(['Spare 1', 'Spare 2', 'Spare 3'].map((n) => createKb(t.api, n, 'en')));
    const answers = await Promise.all(
      ids.flatMap((id, i) => [
        t.api.post('/api/kbs').send({ name: `Contended ${i}`, language: 'en' }),
        t.api.patch(`/api/kbs/${id}`).send({ name: `contended ${i}` }),
      ]),
    );
    for (let i = 0; i < ids.length; i++) {
      const [created, renamed] = answers.slice(2 * i, 2 * i + 2);
      expect([created.status === 201, renamed.status === 200].filter(Boolean)).toHaveLength(1);
      const refused = [created, renamed].find((a) => a.status === 409);
      expect(refused?.body.code).toBe('kb_name_taken');
    }
    expect((await names()).filter((n) => n.toLowerCase().startsWith('contended '))).toHaveLength(ids.length);
  });

  it('gives imports of one name at the same instant each a name of its own, never an error', async () => {
    const kb = await createKb(t.api, 'Imported at once', 'en');
    const exported = (await t.api.get(`/api/kbs/${kb}/export`).expect(200)).body;
    const answers = await Promise.all([1, 2, 3].map(() => t.api.post('/api/kbs/import').send(exported)));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    expect(answers.map((a) => a.body.name).sort()).toEqual([
      'Imported at once (2)',
      'Imported at once (3)',
      'Imported at once (4)',
    ]);
  });

  it('is kept by the database too: a KB named alike written past the API is refused', async () => {
    const a = await createKb(t.api, 'Returns A', 'zh');
    await createKb(t.api, 'Returns B', 'zh');
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await expect(
        db.query(`UPDATE knowledge_base SET name = 'returns b' WHERE id = $1`, [a]),
      ).rejects.toMatchObject({ code: '23505', constraint: 'knowledge_base_organisation_name_key' });
    } finally {
      await db.end();
    }
    // Saving other settings of a KB under its own name is not a rename.
    await t.api.patch(`/api/kbs/${a}`).send({ name: 'Returns A', faqThreshold: 0.4 }).expect(200);
  });

  // Last: it makes the test owner a member of a second organisation (a create must then name one).
  it("lists one of the caller's organisations' KBs when asked (organisationId), none of another's", async () => {
    const other = await t.newOrganisation('Branch office');
    const theirs = await createKb(other.api, 'Branch FAQ', 'en');
    await createKb(t.api, 'Head office FAQ', 'en');
    const ids = async (query: string) =>
      (
        (await t.api.get(`/api/kbs${query}`).expect(200)).body as { id: string; organisationId: string }[]
      ).map((kb) => kb.organisationId);
    // Not a member yet: asking for it gives nothing of it.
    expect(await ids(`?organisationId=${other.organisationId}`)).toEqual([]);
    const me = (await t.api.get('/api/auth/me').expect(200)).body as { user: { email: string } };
    await other.api
      .post(`/api/organisations/${other.organisationId}/users`)
      .send({ email: me.user.email, role: 'viewer' })
      .expect(201);
    const all = await ids('');
    expect(new Set(all)).toEqual(new Set([t.organisationId, other.organisationId]));
    const only = await t.api.get(`/api/kbs?organisationId=${other.organisationId}`).expect(200);
    expect(only.body.map((kb: { id: string }) => kb.id)).toEqual([theirs]);
    expect(only.headers['x-total-count']).toBe('1');
    const own = await ids(`?organisationId=${t.organisationId}`);
    expect(own.length).toBe(all.length - 1);
    expect(new Set(own)).toEqual(new Set([t.organisationId]));
    await t.api.get('/api/kbs?organisationId=not-a-uuid').expect(400);
  });
});
