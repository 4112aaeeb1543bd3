/**
 * A knowledge base's name is its organisation's only: a second KB named alike (in any case) is
 * refused with a 409 the console words, on creation and on rename, and nothing is stored; another
 * organisation may use the name, and KBs named alike before the check stay readable and renamable.
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

  it('keeps KBs named alike before the check as they were, each renamable to a free name', async () => {
    const a = await createKb(t.api, 'Returns A', 'zh');
    const b = await createKb(t.api, 'Returns B', 'zh');
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      await db.query(`UPDATE knowledge_base SET name = 'Returns' WHERE id IN ($1, $2)`, [a, b]);
    } finally {
      await db.end();
    }
    // Saving other settings of one of them is not a rename.
    await t.api.patch(`/api/kbs/${a}`).send({ name: 'Returns', faqThreshold: 0.4 }).expect(200);
    await t.api.patch(`/api/kbs/${b}`).send({ name: 'Returns (old)' }).expect(200);
    expect((await names()).filter((n) => n.startsWith('Returns'))).toEqual(['Returns', 'Returns (old)']);
  });
});
