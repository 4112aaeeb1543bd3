/**
 * Index sync across replicas (two apps in this process on one PostgreSQL, no Redis): a publish on
 * one replica reaches the other's in-memory index through LISTEN/NOTIFY without any question to it,
 * as a catch-up with the difference rather than a rebuild; a lost LISTEN connection is reopened and
 * what was published meanwhile is caught up; a replica that was down during three publishes starts
 * from its saved index plus the difference; a deleted KB leaves every replica's memory.
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthRepository } from '../src/auth/auth.repository';
import { KbIndexService } from '../src/indexes/kb-index.service';
import { KbVersionListener } from '../src/indexes/kb-version-listener';
import { createKb, startTestApp, type TestApp } from './support/test-app';

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('KB index sync across replicas (LISTEN/NOTIFY)', () => {
  let a: TestApp;
  let b: TestApp;
  let kbId: string;
  const indexOf = (t: TestApp) => t.wendao.app.get(KbIndexService);
  const addFaq = async (t: TestApp, question: string, answer: string) =>
    (await t.api.post(`/api/kbs/${kbId}/faqs`).send({ question, answer }).expect(201)).body;
  const kbVersion = async (t: TestApp) =>
    (await t.api.get(`/api/kbs/${kbId}`).expect(200)).body.version as number;

  beforeAll(async () => {
    a = await startTestApp();
    kbId = await createKb(a.api, 'sync', 'zh');
    await addFaq(a, '退货期限是多久？', '签收后7天内可申请退货。');
    b = await startTestApp({ databaseUrl: a.databaseUrl });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it("a publish on A reaches B's index without a question to B, as a catch-up", async () => {
    await until('B loaded the KB', () => indexOf(b).loadedVersion(kbId) === 2);
    const before = { ...indexOf(b).stats };
    await addFaq(a, '运费谁出？', '质量问题由我们承担运费。');
    await until('B caught up to v3', () => indexOf(b).loadedVersion(kbId) === 3);
    expect(indexOf(b).stats.builds).toBe(before.builds);
    expect(indexOf(b).stats.catchUps).toBe(before.catchUps + 1);
    const answer = (await b.api.post(`/api/kbs/${kbId}/ask`).send({ question: '运费谁出？' }).expect(200))
      .body;
    expect(answer).toMatchObject({ type: 'faq', answer: '质量问题由我们承担运费。', kbVersion: 3 });
  });

  it('reopens a lost LISTEN connection and catches up what was published meanwhile', async () => {
    const listener = b.wendao.app.get(KbVersionListener);
    const connections = listener.connections;
    const admin = new Client({ connectionString: b.databaseUrl });
    await admin.connect();
    try {
      // Both replicas lose their LISTEN connection; the publish lands before either reconnects (250 ms backoff).
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'wendao-kb-version-listener' AND datname = current_database()`,
      );
    } finally {
      await admin.end();
    }
    await until('B saw its connection drop', () => !listener.listening);
    const faq = await addFaq(a, '发票怎么开？', '下单时填写发票抬头。');
    expect(faq.id).toBeTruthy();
    const version = await kbVersion(a);
    await until('B listens again', () => listener.connections > connections && listener.listening);
    await until(`B caught up to v${version}`, () => indexOf(b).loadedVersion(kbId) === version);
    expect(listener.behind()).toEqual([]);
    expect((await b.api.get('/ready').expect(200)).body.indexSync).toEqual({ listening: true, behind: 0 });
  });

  it('a replica down during three publishes starts from its saved index plus the difference', async () => {
    const dataDir = b.config.dataDir;
    await b.stop();
    for (const [q, answer] of [
      ['可以开发票吗？', '可以，电子发票。'],
      ['几点发货？', '下午四点前下单当天发货。'],
      ['支持货到付款吗？', '暂不支持货到付款。'],
    ])
      await addFaq(a, q, answer);
    const temporary = await addFaq(a, '临时问题', '临时答案');
    await a.api.patch(`/api/kbs/${kbId}/faqs/${temporary.id}`).send({ answer: '改过的答案' }).expect(200);
    const version = await kbVersion(a);
    b = await startTestApp({ databaseUrl: a.databaseUrl, dataDir });
    expect(indexOf(b).stats).toMatchObject({ loads: 1, builds: 0, catchUps: 1 });
    expect(indexOf(b).loadedVersion(kbId)).toBe(version);
    const answer = (
      await b.api.post(`/api/kbs/${kbId}/ask`).send({ question: '支持货到付款吗？' }).expect(200)
    ).body;
    expect(answer).toMatchObject({ type: 'faq', answer: '暂不支持货到付款。', kbVersion: version });
    const edited = (await b.api.post(`/api/kbs/${kbId}/ask`).send({ question: '临时问题' }).expect(200)).body;
    expect(edited.answer).toBe('改过的答案');
  });

  it('a replica group serving one organisation (WENDAO_SHARD_ORGANISATIONS) loads and follows only its KBs', async () => {
    const other = await a.newOrganisation('other shop');
    const otherKb = (await other.api.post('/api/kbs').send({ name: 'other', language: 'zh' }).expect(201))
      .body.id as string;
    const group = await startTestApp({
      databaseUrl: a.databaseUrl,
      shardOrganisations: [other.organisationId],
    });
    try {
      const index = indexOf(group);
      expect(index.loadedVersion(otherKb)).toBe(1);
      expect(index.loadedVersion(kbId)).toBeUndefined();
      const later = (await other.api.post('/api/kbs').send({ name: 'later', language: 'zh' }).expect(201))
        .body.id as string;
      await until("the group loaded its organisation's new KB", () => index.loadedVersion(later) === 1);
      // A publish in the test organisation reaches A and B, never this group.
      await addFaq(a, '退款多久到账？', '原路退回，1-3个工作日到账。');
      const version = await kbVersion(a);
      await until('B caught up', () => indexOf(b).loadedVersion(kbId) === version);
      expect(index.loadedVersion(kbId)).toBeUndefined();
    } finally {
      await group.stop();
    }
  });

  it('a KB deleted on A leaves B', async () => {
    await until('B holds the KB', () => indexOf(b).loadedVersion(kbId) !== undefined);
    // Both replicas keep the KB's organisation for the access check once they have looked it up.
    const access = (t: TestApp) => t.wendao.app.get(AuthRepository);
    const organisation = await access(a).kbOrganisation(kbId);
    expect(organisation).toBeDefined();
    expect(await access(b).kbOrganisation(kbId)).toBe(organisation);
    await a.api.delete(`/api/kbs/${kbId}`).expect(204);
    expect(await access(a).kbOrganisation(kbId)).toBeUndefined();
    await until('B forgot the KB', () => indexOf(b).loadedVersion(kbId) === undefined);
    expect(await access(b).kbOrganisation(kbId)).toBeUndefined();
  });
});
