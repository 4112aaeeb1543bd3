/**
 * Concurrent writers (issue 16): parallel PATCHes of one FAQ entry, each changing a different
 * field, lose none of the acknowledged changes; parallel creates get distinct ordinals.
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKb, startTestApp, type TestApp } from './support/test-app';

describe('concurrent FAQ writes', () => {
  let t: TestApp;
  let kbId: string;
  beforeAll(async () => {
    t = await startTestApp();
    kbId = await createKb(t.api, 'concurrency', 'en');
  });
  afterAll(async () => t?.close());

  it('keeps every acknowledged field of parallel PATCHes to one entry', async () => {
    const faq = (
      await t.api
        .post(`/api/kbs/${kbId}/faqs`)
        .send({ question: 'How long?', answer: 'Seven days.' })
        .expect(201)
    ).body;
    for (let round = 0; round < 6; round++) {
      const changes = [
        { question: `How long do returns take? (${round})` },
        { answer: `Within ${round + 7} days.` },
        { alternates: [`return window ${round}`] },
        { tags: [`returns-${round}`] },
        { enabled: round % 2 === 0 },
      ];
      const responses = await Promise.all(
        changes.map((change) => t.api.patch(`/api/kbs/${kbId}/faqs/${faq.id}`).send(change)),
      );
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
      const now = (await t.api.get(`/api/kbs/${kbId}/faqs/${faq.id}`).expect(200)).body;
      expect(now).toMatchObject(Object.assign({}, ...changes));
    }
  });

  it('gives parallel creates distinct ordinals in one KB', async () => {
    const kb = await createKb(t.api, 'ordinals', 'en');
    const responses = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        t.api.post(`/api/kbs/${kb}/faqs`).send({ question: `Question ${i}?`, answer: `Answer ${i}.` }),
      ),
    );
    expect(responses.every((r) => r.status === 201)).toBe(true);
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT ordinal FROM faq_entry WHERE kb_id = $1 ORDER BY ordinal', [
        kb,
      ]);
      expect(rows.map((r) => r.ordinal)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    } finally {
      await db.end();
    }
  });
});
