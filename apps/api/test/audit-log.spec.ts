/**
 * The audit log of admin actions: every change through the API is recorded with who made it, the
 * route, the KB and target, FAQ edits with the entry before and after; secrets never stored; failed
 * requests not recorded; owners of the organisation only, newest first, paged.
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKb, startTestApp, TEST_OWNER, uploadAndWait, type TestApp } from './support/test-app';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Entry = Record<string, any>;

describe('audit log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('records who changed which KB, FAQ entry, member and key, with the FAQ before and after', async () => {
    const log = `/api/organisations/${t.organisationId}/audit-log`;
    const kbId = await createKb(t.api, 'audited', 'en');
    const faq = (
      await t.api.post(`/api/kbs/${kbId}/faqs`).send({ question: 'Fees?', answer: 'None.' }).expect(201)
    ).body;
    const editor = await t.userWithRole('editor');
    await editor.api.patch(`/api/kbs/${kbId}/faqs/${faq.id}`).send({ answer: 'Two yuan.' }).expect(200);
    await editor.api.patch(`/api/kbs/${kbId}/faqs/${faq.id}`).send({ answer: '' }).expect(400);
    await t.api.post(`/api/kbs/${kbId}/ask`).send({ question: 'Fees?' }).expect(200);
    const key = (
      await t.api.post(`/api/organisations/${t.organisationId}/api-keys`).send({ name: 'shop' }).expect(201)
    ).body;
    await t.api.delete(`/api/kbs/${kbId}/faqs/${faq.id}`).expect(204);

    const res = await t.api.get(log).expect(200);
    const entries = res.body as Entry[];
    expect(entries.map((e) => e.action)).toEqual([
      'DELETE /api/kbs/:id/faqs/:faqId',
      'POST /api/organisations/:orgId/api-keys',
      'PATCH /api/kbs/:id/faqs/:faqId',
      'POST /api/kbs/:id/faqs',
      'POST /api/kbs',
      // Creating the editor went straight to the database, not through the API.
    ]);
    expect(res.headers['x-total-count']).toBe('5');
    const [deleted, keyMade, patched, created, kbMade] = entries;
    expect(patched).toMatchObject({
      actor: editor.email,
      actorUserId: editor.userId,
      kbId,
      targetId: faq.id,
      before: { question: 'Fees?', answer: 'None.' },
      after: { id: faq.id, answer: 'Two yuan.' },
    });
    expect(created).toMatchObject({ actor: TEST_OWNER.email, kbId, targetId: faq.id, before: null });
    expect(deleted).toMatchObject({ before: { answer: 'Two yuan.' }, after: null });
    expect(kbMade).toMatchObject({ kbId, targetId: kbId, after: { name: 'audited' } });
    // The new key's secret is shown once to its creator and never kept in the log.
    expect(keyMade.targetId).toBe(key.id);
    expect(keyMade.after).not.toHaveProperty('key');
    expect(JSON.stringify(entries)).not.toContain(key.key);
    expect(new Date(deleted.createdAt).getTime()).toBeGreaterThanOrEqual(
      new Date(kbMade.createdAt).getTime(),
    );

    const page = await t.api.get(`${log}?limit=2&offset=1`).expect(200);
    expect(page.body.map((e: Entry) => e.action)).toEqual([
      'POST /api/organisations/:orgId/api-keys',
      'PATCH /api/kbs/:id/faqs/:faqId',
    ]);
    await t.api.get(`${log}?limit=0`).expect(400);
    expect((await t.api.get(`${log}?kbId=${kbId}`).expect(200)).body).toHaveLength(4);
  });

  it('keeps dates as ISO strings, and which file a deleted document was', async () => {
    const log = `/api/organisations/${t.organisationId}/audit-log`;
    const member = (
      await t.api
        .post(`/api/organisations/${t.organisationId}/users`)
        .send({ email: 'dated@example.com', role: 'viewer', password: 'a long enough password' })
        .expect(201)
    ).body;
    const kbId = await createKb(t.api, 'documents audited', 'en');
    const [job] = await uploadAndWait(t.api, kbId, [
      {
        name: 'fees.csv',
        content: 'question,answer\nFees?,None.\nRefunds?,Within 7 days.\n',
        type: 'text/csv',
      },
    ]);
    const docId = job.documentId as string;
    // One of its two entries deleted first: the record says what the document still held.
    const faqs = (await t.api.get(`/api/kbs/${kbId}/faqs`).expect(200)).body as Entry[];
    const refunds = faqs.find((f) => f.question === 'Refunds?')!;
    await t.api.delete(`/api/kbs/${kbId}/faqs/${refunds.id}`).expect(204);
    await t.api.delete(`/api/kbs/${kbId}/documents/${docId}`).expect(204);

    const entries = (await t.api.get(`${log}?limit=10`).expect(200)).body as Entry[];
    const added = entries.find((e) => e.action === 'POST /api/organisations/:orgId/users')!;
    // The member's `since` was a Date: it was stored as {} before.
    expect(added.after).toMatchObject({ email: 'dated@example.com', role: 'viewer' });
    expect(added.after.since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(added.targetId).toBe(member.userId);
    const removed = entries.find((e) => e.action === 'DELETE /api/kbs/:id/documents/:docId')!;
    expect(removed).toMatchObject({
      kbId,
      targetId: docId,
      before: { id: docId, fileName: 'fees.csv', type: 'csv', sizeBytes: 52, faqCount: 1 },
      after: null,
    });
  });

  it('lists the newest first past nine entries (ids ordered as numbers, not as text)', async () => {
    const kbId = await createKb(t.api, 'many changes', 'en');
    for (let i = 1; i <= 11; i++)
      await t.api
        .post(`/api/kbs/${kbId}/faqs`)
        .send({ question: `Question ${i}?`, answer: `Answer ${i}.` })
        .expect(201);
    const log = `/api/organisations/${t.organisationId}/audit-log?kbId=${kbId}`;
    const entries = (await t.api.get(`${log}&limit=50`).expect(200)).body as Entry[];
    expect(entries).toHaveLength(12);
    expect(entries.map((e) => (e.after as { question?: string } | null)?.question ?? e.action)).toEqual([
      ...Array.from({ length: 11 }, (_, i) => `Question ${11 - i}?`),
      'POST /api/kbs',
    ]);
    const ids = entries.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const first = (await t.api.get(`${log}&limit=2`).expect(200)).body as Entry[];
    expect(first.map((e) => e.id)).toEqual(entries.slice(0, 2).map((e) => e.id));
  });

  it("writes the row in the change's own transaction: a change whose row cannot be written does not happen", async () => {
    const kbId = await createKb(t.api, 'atomic', 'en');
    const faq = (
      await t.api
        .post(`/api/kbs/${kbId}/faqs`)
        .send({ question: 'Refunds?', answer: 'Within 7 days.' })
        .expect(201)
    ).body;
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const sql = (text: string) => db.query(text);
    try {
      // The audit log refuses this one action, as a full disk or a lost connection would refuse the row.
      await sql(`CREATE FUNCTION refuse_faq_delete_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.action = 'DELETE /api/kbs/:id/faqs/:faqId' THEN RAISE EXCEPTION 'audit log unavailable'; END IF;
          RETURN NEW;
        END $$`);
      await sql(`CREATE TRIGGER refuse_faq_delete_audit BEFORE INSERT ON audit_log
        FOR EACH ROW EXECUTE FUNCTION refuse_faq_delete_audit()`);
      await t.api.delete(`/api/kbs/${kbId}/faqs/${faq.id}`).expect(500);
      // Rolled back with its row: the entry is still there, still answered, and no row claims it went.
      await t.api.get(`/api/kbs/${kbId}/faqs/${faq.id}`).expect(200);
      const asked = await t.api.post(`/api/kbs/${kbId}/ask`).send({ question: 'Refunds?' }).expect(200);
      expect(asked.body.answer).toBe('Within 7 days.');
      const log = `/api/organisations/${t.organisationId}/audit-log?kbId=${kbId}`;
      expect((await t.api.get(log).expect(200)).body.map((e: Entry) => e.action)).toEqual([
        'POST /api/kbs/:id/faqs',
        'POST /api/kbs',
      ]);

      await sql('DROP TRIGGER refuse_faq_delete_audit ON audit_log');
      await t.api.delete(`/api/kbs/${kbId}/faqs/${faq.id}`).expect(204);
      const [deleted, created] = (await t.api.get(log).expect(200)).body as Entry[];
      expect(deleted).toMatchObject({
        action: 'DELETE /api/kbs/:id/faqs/:faqId',
        targetId: faq.id,
        before: { answer: 'Within 7 days.' },
      });
      // The row written inside the create's transaction got the answer afterwards.
      expect(created).toMatchObject({ targetId: faq.id, after: { id: faq.id, answer: 'Within 7 days.' } });
    } finally {
      await db.end();
    }
  });

  it("names each row's KB, a deleted one by the name it last had, and lists the KBs the log names", async () => {
    const org = `/api/organisations/${t.organisationId}`;
    const kbId = await createKb(t.api, 'short-lived', 'en');
    const faq = (
      await t.api.post(`/api/kbs/${kbId}/faqs`).send({ question: 'Hours?', answer: '9-5.' }).expect(201)
    ).body;
    await t.api.patch(`/api/kbs/${kbId}`).send({ name: 'short-lived (renamed)' }).expect(200);
    await t.api.patch(`/api/kbs/${kbId}/faqs/${faq.id}`).send({ answer: '9-6.' }).expect(200);
    const kept = await createKb(t.api, 'kept', 'en');
    await t.api.delete(`/api/kbs/${kbId}`).expect(204);
    // Enough later rows that the deleted KB's own creation, rename and deletion are on no first page.
    for (let i = 0; i < 3; i++)
      await t.api
        .post(`/api/kbs/${kept}/faqs`)
        .send({ question: `Q${i}?`, answer: 'A.' })
        .expect(201);

    const latest = (await t.api.get(`${org}/audit-log?limit=3`).expect(200)).body as Entry[];
    expect(latest.map((e) => [e.kbId, e.kbName, e.kbDeleted])).toEqual(Array(3).fill([kept, 'kept', false]));
    // The FAQ edit's row alone, paged by the KB filter: named although no KB route is on the page.
    const rows = (await t.api.get(`${org}/audit-log?kbId=${kbId}&limit=50`).expect(200)).body as Entry[];
    expect(rows.map((e) => e.action)).toEqual([
      'DELETE /api/kbs/:id',
      'PATCH /api/kbs/:id/faqs/:faqId',
      'PATCH /api/kbs/:id',
      'POST /api/kbs/:id/faqs',
      'POST /api/kbs',
    ]);
    const edit = (await t.api.get(`${org}/audit-log?kbId=${kbId}&limit=1&offset=1`).expect(200))
      .body as Entry[];
    expect(edit).toMatchObject([
      { action: 'PATCH /api/kbs/:id/faqs/:faqId', kbName: 'short-lived (renamed)', kbDeleted: true },
    ]);
    expect(rows.every((e) => e.kbName === 'short-lived (renamed)' && e.kbDeleted)).toBe(true);
    // Stored on each row as the change left the KB: its name then, whatever it is called now.
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const stored = await db.query(`SELECT action, kb_name FROM audit_log WHERE kb_id = $1 ORDER BY id`, [
        kbId,
      ]);
      expect(stored.rows.map((r) => [r.action, r.kb_name])).toEqual([
        ['POST /api/kbs', 'short-lived'],
        ['POST /api/kbs/:id/faqs', 'short-lived'],
        ['PATCH /api/kbs/:id', 'short-lived (renamed)'],
        ['PATCH /api/kbs/:id/faqs/:faqId', 'short-lived (renamed)'],
        ['DELETE /api/kbs/:id', 'short-lived (renamed)'],
      ]);
    } finally {
      await db.end();
    }
    const orgRow = (await t.api.get(`${org}/audit-log?limit=50`).expect(200)).body as Entry[];
    expect(orgRow.find((e) => e.kbId === null)).toMatchObject({ kbName: null, kbDeleted: false });

    const kbs = (await t.api.get(`${org}/audit-log/kbs`).expect(200)).body as Entry[];
    expect(kbs).toContainEqual({ id: kbId, name: 'short-lived (renamed)', deleted: true });
    expect(kbs).toContainEqual({ id: kept, name: 'kept', deleted: false });
    // Live KBs first.
    expect(kbs.findIndex((k) => k.deleted)).toBeGreaterThan(kbs.findIndex((k) => k.id === kept));
    await (await t.userWithRole('editor')).api.get(`${org}/audit-log/kbs`).expect(403);
    const b = await t.newOrganisation();
    await b.api.get(`${org}/audit-log/kbs`).expect(404);
    expect(
      (await b.api.get(`/api/organisations/${b.organisationId}/audit-log/kbs`).expect(200)).body,
    ).toEqual([]);
  });

  it('is for owners of the organisation only', async () => {
    const log = `/api/organisations/${t.organisationId}/audit-log`;
    await (await t.userWithRole('editor')).api.get(log).expect(403);
    await t.anonymous.get(log).expect(401);
    const b = await t.newOrganisation();
    await b.api.get(log).expect(404);
    await b.api.post('/api/kbs').send({ name: 'B kb', language: 'en' }).expect(201);
    const ownLog = (await b.api.get(`/api/organisations/${b.organisationId}/audit-log`).expect(200))
      .body as Entry[];
    expect(ownLog.map((e) => e.action)).toEqual(['POST /api/kbs']);
    expect((await t.api.get(log).expect(200)).body.map((e: Entry) => e.actor)).not.toContain(b.email);
  });
});
