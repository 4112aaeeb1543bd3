/**
 * A large KB next to small ones (two apps in this process on one PostgreSQL, as two replicas): an
 * upload too large to apply in one synchronous step is rebuilt in slices, and a small KB is answered
 * while that rebuild runs; each KB version is calibrated by one replica, the other reads its result.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KnowledgeIndex, ThresholdCalibrator } from '@wendao/answer';
import { KbCalibrationService } from '../src/indexes/kb-calibration.service';
import { KbIndexService, MAX_SYNC_CHANGES } from '../src/indexes/kb-index.service';
import { createKb, startTestApp, uploadAndWait, type TestApp } from './support/test-app';

async function until<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const BIG = MAX_SYNC_CHANGES * 3;
const bigCsv = () =>
  'question,answer\n' +
  Array.from(
    { length: BIG },
    (_, i) => `Question number ${i} about product SKU-${i} shipping?,Answer ${i}: lorem ipsum dolor sit amet`,
  ).join('\n');

describe('a large KB beside small ones', () => {
  let a: TestApp;
  let b: TestApp;
  let smallKb: string;
  const indexes = (t: TestApp) => t.wendao.app.get(KbIndexService);
  const calibrations = (t: TestApp) => t.wendao.app.get(KbCalibrationService);
  const version = async (kbId: string) =>
    (await a.api.get(`/api/kbs/${kbId}`).expect(200)).body.version as number;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({ databaseUrl: a.databaseUrl });
    smallKb = await createKb(a.api, 'small', 'en');
    for (const [question, answer] of [
      ['How long does delivery take?', 'Orders arrive within 3 days.'],
      ['Can I return an item?', 'Returns are accepted within 7 days.'],
    ])
      await a.api.post(`/api/kbs/${smallKb}/faqs`).send({ question, answer }).expect(201);
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('answers a small KB while a large upload is rebuilt in slices, not applied in one step', async () => {
    const bigKb = await createKb(a.api, 'big', 'en');
    const builds = indexes(a).stats.builds;
    const [job] = await uploadAndWait(a.api, bigKb, [
      { name: 'big.csv', content: bigCsv(), type: 'text/csv' },
    ]);
    expect(job.status).toBe('succeeded');
    const v = await version(bigKb);
    // The upload's write was too large to apply in one step: the index was rebuilt from PostgreSQL.
    await until('the large KB is indexed', () => indexes(a).loadedVersion(bigKb) === v);
    expect(indexes(a).stats.builds).toBeGreaterThan(builds);
    // Rebuilt once more, from scratch: a small KB's question is answered before that rebuild ends.
    // The small KB is indexed first, so the ask below measures answering, not its own first build
    // (which runs in slices too, and on a fast machine ended after the large one).
    await a.api.post(`/api/kbs/${smallKb}/ask`).send({ question: 'Can I return an item?' }).expect(200);
    await until('the small KB is indexed', () => indexes(a).loadedVersion(smallKb) !== undefined);
    await indexes(a).drop(bigKb);
    // The question is asked once the rebuild is adding entries, each costing at least 0.1 ms more, so
    // that part takes 0.3 s or more on any machine (on a fast one the whole rebuild had ended before
    // the ask's round trip, and an ask sent before the loop began was answered, slices or not).
    const upsert = KnowledgeIndex.prototype.upsertFaq;
    let adding!: () => void;
    const started = new Promise<void>((resolve) => (adding = resolve));
    const slowed = vi.spyOn(KnowledgeIndex.prototype, 'upsertFaq').mockImplementation(function (
      this: KnowledgeIndex,
      faq,
    ) {
      adding();
      const end = performance.now() + 0.1;
      while (performance.now() < end);
      return upsert.call(this, faq);
    });
    try {
      let built = false;
      const rebuild = indexes(a)
        .ensure(bigKb, v)
        .then((index) => ((built = true), index));
      await started;
      const ask = await a.api
        .post(`/api/kbs/${smallKb}/ask`)
        .send({ question: 'How long does delivery take?' })
        .expect(200);
      expect(ask.body).toMatchObject({ type: 'faq', answer: 'Orders arrive within 3 days.' });
      expect(built).toBe(false);
      expect((await rebuild).faqs.size).toBe(BIG);
    } finally {
      slowed.mockRestore();
    }
  }, 120_000);

  it('calibrates each KB version on one replica; the other reads the stored thresholds', async () => {
    const calibrated: string[] = [];
    const calibrate = ThresholdCalibrator.prototype.calibrate;
    const spy = vi.spyOn(ThresholdCalibrator.prototype, 'calibrate').mockImplementation(function (
      this: ThresholdCalibrator,
      index: KnowledgeIndex,
    ) {
      calibrated.push(`${index.kbId}@${index.version}`);
      return calibrate.call(this, index);
    });
    try {
      const kbId = await createKb(a.api, 'calibrated once', 'en');
      const rows = Array.from(
        { length: 20 },
        (_, i) => `How do I use feature ${i} of the app?,Open settings and turn on feature ${i}.`,
      );
      await uploadAndWait(a.api, kbId, [
        { name: 'faq.csv', content: `question,answer\n${rows.join('\n')}`, type: 'text/csv' },
      ]);
      const v = await version(kbId);
      await until('both replicas hold the new version', () =>
        [a, b].every((t) => indexes(t).loadedVersion(kbId) === v),
      );
      await Promise.all([a, b].map((t) => calibrations(t).settled(kbId)));
      const views = await Promise.all([a, b].map((t) => calibrations(t).current(kbId)));
      expect(views.map((c) => c?.kbVersion)).toEqual([v, v]);
      expect(views[1]?.thresholds).toEqual(views[0]?.thresholds);
      expect(calibrated.filter((c) => c === `${kbId}@${v}`)).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  }, 60_000);
});
