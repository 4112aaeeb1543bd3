/**
 * Intents over HTTP against real PostgreSQL (lexical mode): CRUD of intents and examples, the CSV
 * import (all rows or none, problems as 400), background retraining that changes the label, the
 * question log's intent column filled by the classifier, and who may write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'pg';
import { QuestionEventRecorder } from '../src/analytics/question-event-recorder';
import { KbIntentClassifierService } from '../src/intents/kb-intent-classifier.service';
import { createKb, startTestApp, type TestApp } from './support/test-app';

const CSV = [
  'intent,example',
  'refund,我要退款',
  'refund,怎么申请退款',
  'refund,退款多久到账',
  'refund,可以退款吗',
  'shipping,什么时候发货',
  'shipping,发货了吗',
  'shipping,几天能发货',
  'shipping,快递发货时间',
  'invoice,怎么开发票',
  'invoice,电子发票在哪',
  'invoice,发票抬头写错了',
  'invoice,补开发票',
].join('\n');

/**
 * An app whose classifiers estimate the traffic at every labelling (refresh 0, so a test need not
 * wait an hour), a KB with CSV's intents, a client on its database, and `label` (after the
 * background work settles). `done` closes them.
 */
async function trafficKb() {
  const app = await startTestApp({
    intentTraining: {
      timeoutMs: 1_800_000,
      maxHeapMb: 1024,
      trafficQuestions: 2000,
      trafficRefreshMs: 0,
      selfTraining: true,
    },
  });
  const db = new Client({ connectionString: app.databaseUrl });
  await db.connect();
  const kbId = await createKb(app.api);
  await app.api
    .post(`/api/kbs/${kbId}/intents/import`)
    .attach('file', Buffer.from(CSV), 'intents.csv')
    .expect(201);
  const classifiers = app.wendao.app.get(KbIntentClassifierService);
  const label = async (text: string) => {
    await classifiers.settled(kbId);
    return (await app.api.post(`/api/kbs/${kbId}/intents/classify`).send({ text }).expect(200)).body.label;
  };
  const done = async () => {
    await db.end();
    await app.close();
  };
  return { app, db, kbId, classifiers, label, done };
}

describe('intents', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  const upload = (kbId: string, csv: string) =>
    t.api.post(`/api/kbs/${kbId}/intents/import`).attach('file', Buffer.from(csv), 'intents.csv');
  const classify = async (kbId: string, text: string) => {
    await t.wendao.app.get(KbIntentClassifierService).settled(kbId);
    return (await t.api.post(`/api/kbs/${kbId}/intents/classify`).send({ text }).expect(200)).body.label;
  };

  it('creates, lists, reads, renames and deletes intents and their examples', async () => {
    const kbId = await createKb(t.api);
    const created = await t.api
      .post(`/api/kbs/${kbId}/intents`)
      .send({ name: 'refund', description: '退款', examples: ['我要退款', ' 我要退款 ', '退款进度'] })
      .expect(201);
    expect(created.body).toMatchObject({ name: 'refund', description: '退款', exampleCount: 2 });
    expect(created.body.examples.map((e: { text: string }) => e.text)).toEqual(['我要退款', '退款进度']);
    const id = created.body.id as string;

    const taken = await t.api.post(`/api/kbs/${kbId}/intents`).send({ name: ' refund ' }).expect(409);
    // As data too, for the console to say in its own language.
    expect(taken.body).toMatchObject({ code: 'intent_name_taken', values: { name: 'refund' } });
    await t.api.post(`/api/kbs/${kbId}/intents`).send({ name: '' }).expect(400);
    await t.api
      .post(`/api/kbs/${kbId}/intents`)
      .send({ name: 'x', examples: [42] })
      .expect(400);

    const added = await t.api
      .post(`/api/kbs/${kbId}/intents/${id}/examples`)
      .send({ texts: ['退款进度', '退款多久到账'] })
      .expect(201);
    expect(added.body.map((e: { text: string }) => e.text)).toEqual(['退款多久到账']);
    await t.api.delete(`/api/kbs/${kbId}/intents/${id}/examples/${added.body[0].id}`).expect(204);
    await t.api.delete(`/api/kbs/${kbId}/intents/${id}/examples/${added.body[0].id}`).expect(404);
    expect((await t.api.get(`/api/kbs/${kbId}/intents/${id}/examples`).expect(200)).body).toHaveLength(2);

    const renamed = await t.api
      .patch(`/api/kbs/${kbId}/intents/${id}`)
      .send({ name: 'refunds', description: null });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'refunds', description: null, exampleCount: 2 });
    expect(
      (await t.api.get(`/api/kbs/${kbId}/intents`).expect(200)).body.map((i: { name: string }) => i.name),
    ).toEqual(['refunds']);

    await t.api.get(`/api/kbs/${kbId}/intents/not-a-uuid`).expect(404);
    await t.api.delete(`/api/kbs/${kbId}/intents/${id}`).expect(204);
    await t.api.get(`/api/kbs/${kbId}/intents/${id}`).expect(404);
    expect((await t.api.get(`/api/kbs/${kbId}/intents`).expect(200)).body).toEqual([]);
  });

  it('imports a CSV of intent,example rows, and refuses a bad file with 400 storing nothing', async () => {
    const kbId = await createKb(t.api);
    const noFile = await t.api.post(`/api/kbs/${kbId}/intents/import`).expect(400);
    expect(noFile.body.message).toMatch(/file/);
    const badHeader = await upload(kbId, 'label,text\nrefund,我要退款').expect(400);
    expect(badHeader.body.message).toMatch(/"intent" and "example"/);
    expect(badHeader.body).toMatchObject({ code: 'intent_csv_header', values: {} });
    const emptyCell = await upload(kbId, 'intent,example\nrefund,我要退款\nshipping,\n,发货了吗').expect(400);
    expect(emptyCell.body.message).toMatch(/row 3: empty example.*row 4: empty intent/);
    expect(emptyCell.body).toMatchObject({
      code: 'intent_csv_rows',
      values: {
        count: 2,
        problems: [
          { row: 3, problem: 'empty_example' },
          { row: 4, problem: 'empty_intent' },
        ],
      },
    });
    // A quote out of place: where and why as data, and in our words (csv-parse's English is the reason).
    const openQuote = await upload(kbId, 'intent,example\n"refund,我要退款').expect(400);
    expect(openQuote.body).toMatchObject({
      code: 'intent_csv_unparsable',
      values: { line: 2, problem: 'quote_not_closed', reason: expect.stringMatching(/^Quote Not Closed/) },
      message:
        'the CSV file cannot be parsed: a quote is never closed (still open at line 2, the end of the file)',
    });
    const strayQuote = await upload(kbId, 'intent,example\nrefund,我要"退款"吗\n').expect(400);
    expect(strayQuote.body).toMatchObject({
      code: 'intent_csv_unparsable',
      values: { line: 2, problem: 'invalid_opening_quote' },
    });
    const afterQuote = await upload(kbId, 'intent,example\n"refund"s,我要退款\n').expect(400);
    expect(afterQuote.body.values).toMatchObject({ line: 2, problem: 'invalid_closing_quote' });
    // Over 5 MiB: refused before it is read, the limit as data (multer's bare 'File too large' before).
    const tooLarge = await upload(kbId, `intent,example\n${'refund,我要退款\n'.repeat(300_000)}`).expect(413);
    expect(tooLarge.body).toMatchObject({ code: 'file_too_large', values: { limitBytes: 5 * 1024 * 1024 } });
    expect((await t.api.get(`/api/kbs/${kbId}/intents`).expect(200)).body).toEqual([]);

    const imported = await upload(kbId, '\uFEFF' + CSV + '\nrefund,我要退款').expect(201);
    expect(imported.body).toEqual({
      intentsCreated: 3,
      examplesAdded: 12,
      duplicatesSkipped: 1,
      warnings: [],
      warningCodes: [],
    });
    const intents = (await t.api.get(`/api/kbs/${kbId}/intents`).expect(200)).body;
    expect(intents.map((i: { name: string; exampleCount: number }) => [i.name, i.exampleCount])).toEqual([
      ['invoice', 4],
      ['refund', 4],
      ['shipping', 4],
    ]);
  });

  it('reads a CSV saved as GBK (Excel on Chinese Windows) as Chinese, and says it guessed', async () => {
    const kbId = await createKb(t.api);
    // 'intent,example\nrefund,我要退款\nrefund,退款多久到账\nshipping,什么时候发货\n' in GBK bytes.
    const gbkBytes = Buffer.from(
      '696e74656e742c6578616d706c650a726566756e642cced2d2aacdcbbfee0a726566756e642ccdcbbfeeb6e0bec3b5bdd5cb0a' +
        '7368697070696e672ccab2c3b4cab1baf2b7a2bbf50a',
      'hex',
    );
    const res = await t.api
      .post(`/api/kbs/${kbId}/intents/import`)
      .attach('file', gbkBytes, { filename: '意图.csv', contentType: 'text/csv' })
      .expect(201);
    expect(res.body).toMatchObject({
      intentsCreated: 2,
      examplesAdded: 3,
      warningCodes: [{ code: 'read_as_gbk', values: { file: '意图.csv' } }],
      warnings: [
        '意图.csv is not UTF-8; it was read as GBK/GB18030 Chinese text. Save it as UTF-8 to be sure.',
      ],
    });
    const intents = (await t.api.get(`/api/kbs/${kbId}/intents`).expect(200)).body as Array<{
      id: string;
      name: string;
    }>;
    expect(intents.map((i) => i.name)).toEqual(['refund', 'shipping']);
    const refund = (await t.api.get(`/api/kbs/${kbId}/intents/${intents[0].id}/examples`).expect(200)).body;
    expect(refund.map((e: { text: string }) => e.text).sort()).toEqual(['我要退款', '退款多久到账'].sort());

    // Bytes that are neither: refused with the offset, nothing stored.
    const latin1 = await t.api
      .post(`/api/kbs/${kbId}/intents/import`)
      .attach('file', Buffer.from('intent,example\nrefund,Café\n', 'latin1'), 'fr.csv')
      .expect(400);
    expect(latin1.body).toMatchObject({ code: 'invalid_utf8', values: { file: 'fr.csv', offset: 25 } });
  });

  it('retrains in the background after a change, and the new classifier changes the label', async () => {
    const kbId = await createKb(t.api);
    expect(await classify(kbId, '退款多久到账')).toBeNull();
    await upload(kbId, CSV).expect(201);
    expect(await classify(kbId, '退款什么时候能到账')).toMatchObject({ intent: 'refund' });
    const model = (await t.api.get(`/api/kbs/${kbId}/intents/model`).expect(200)).body;
    expect(model).toMatchObject({ trained: true, intents: ['invoice', 'refund', 'shipping'], examples: 12 });
    expect(model.trainedRevision).toBe(model.revision);
    // The answer says which model gave it: here the latest.
    const answered = (
      await t.api.post(`/api/kbs/${kbId}/intents/classify`).send({ text: '退款' }).expect(200)
    ).body;
    expect(answered).toMatchObject({ modelRevision: model.revision, revision: model.revision });

    // A new intent that owns the refund-timing questions takes the label over after the retrain.
    await t.api
      .post(`/api/kbs/${kbId}/intents`)
      .send({
        name: 'refund_status',
        examples: ['退款什么时候到账', '退款到账了吗', '退款进度查询', '退款还没到账', '退款到账要几天'],
      })
      .expect(201);
    expect(await classify(kbId, '退款什么时候能到账')).toMatchObject({ intent: 'refund_status' });
    expect((await t.api.get(`/api/kbs/${kbId}/intents/model`).expect(200)).body.intents).toContain(
      'refund_status',
    );
  });

  it("labels the question log's intent with the classifier, and keeps the matched FAQ without one", async () => {
    const withIntents = await createKb(t.api);
    const without = await createKb(t.api);
    for (const kbId of [withIntents, without])
      await t.api
        .post(`/api/kbs/${kbId}/faqs`)
        .send({ question: '退款多久到账？', answer: '3 个工作日内原路退回。' })
        .expect(201);
    await upload(withIntents, CSV).expect(201);
    await t.wendao.app.get(KbIntentClassifierService).settled(withIntents);
    for (const kbId of [withIntents, without])
      await t.api.post(`/api/kbs/${kbId}/ask`).send({ question: '退款多久到账？' }).expect(200);
    await t.wendao.app.get(QuestionEventRecorder).flushed();

    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const intentOf = async (kbId: string) =>
        (await db.query(`SELECT intent FROM question_event WHERE kb_id = $1`, [kbId])).rows.map(
          (r) => r.intent,
        );
      expect(await intentOf(withIntents)).toEqual(['refund']);
      expect(await intentOf(without)).toEqual(['退款多久到账？']);
    } finally {
      await db.end();
    }
  });

  it('stores the trained classifier: a new app on the same database classifies with it without training, and trains again once the examples changed', async () => {
    const first = await startTestApp();
    const apps: TestApp[] = [];
    try {
      const kbId = await createKb(first.api);
      await first.api
        .post(`/api/kbs/${kbId}/intents/import`)
        .attach('file', Buffer.from(CSV), 'intents.csv')
        .expect(201);
      await first.wendao.app.get(KbIntentClassifierService).settled(kbId);
      const trained = (await first.api.get(`/api/kbs/${kbId}/intents/model`).expect(200)).body;
      expect(trained).toMatchObject({ trained: true, source: 'trained', examples: 12, lastError: null });
      expect(trained.trainMillis).toBeGreaterThan(0);
      await first.stop();

      const restart = async () => {
        const app = await startTestApp({ databaseUrl: first.databaseUrl });
        apps.push(app);
        return app;
      };
      const second = await restart();
      const label = (
        await second.api
          .post(`/api/kbs/${kbId}/intents/classify`)
          .send({ text: '退款什么时候能到账' })
          .expect(200)
      ).body.label;
      expect(label).toMatchObject({ intent: 'refund' });
      const loaded = (await second.api.get(`/api/kbs/${kbId}/intents/model`).expect(200)).body;
      expect(loaded).toMatchObject({
        trained: true,
        source: 'stored',
        trainedAt: trained.trainedAt,
        trainedRevision: trained.revision,
        intents: ['invoice', 'refund', 'shipping'],
        threshold: trained.threshold,
      });

      // An intent without examples is not training data: the loaded model stays.
      await second.api
        .post(`/api/kbs/${kbId}/intents`)
        .send({ name: 'complaint', description: '投诉' })
        .expect(201);
      await second.wendao.app.get(KbIntentClassifierService).settled(kbId);
      expect((await second.api.get(`/api/kbs/${kbId}/intents/model`).expect(200)).body).toMatchObject({
        source: 'stored',
        trainedAt: trained.trainedAt,
        trainedRevision: trained.revision + 1,
      });
      // A description is: it trains as one more example of its intent.
      const refund = (await second.api.get(`/api/kbs/${kbId}/intents`).expect(200)).body.find(
        (i: { name: string }) => i.name === 'refund',
      );
      await second.api
        .patch(`/api/kbs/${kbId}/intents/${refund.id}`)
        .send({ description: '钱什么时候退回来' })
        .expect(200);
      await second.wendao.app.get(KbIntentClassifierService).settled(kbId);
      const described = (await second.api.get(`/api/kbs/${kbId}/intents/model`).expect(200)).body;
      expect(described).toMatchObject({
        source: 'trained',
        trainedRevision: trained.revision + 2,
        examples: 12,
      });
      expect(new Date(described.trainedAt).getTime()).toBeGreaterThan(new Date(trained.trainedAt).getTime());
      await second.stop();

      // Examples changed while no app ran: the stored model no longer fits, the next start trains.
      const db = new Client({ connectionString: first.databaseUrl });
      await db.connect();
      try {
        await db.query(`DELETE FROM intent_example WHERE kb_id = $1 AND text = '补开发票'`, [kbId]);
        await db.query(`UPDATE kb_intent_revision SET revision = revision + 1 WHERE kb_id = $1`, [kbId]);
      } finally {
        await db.end();
      }
      const third = await restart();
      await third.api.post(`/api/kbs/${kbId}/intents/classify`).send({ text: '发票' }).expect(200);
      const retrained = (await third.api.get(`/api/kbs/${kbId}/intents/model`).expect(200)).body;
      expect(retrained).toMatchObject({ trained: true, source: 'trained', examples: 11 });
      expect(new Date(retrained.trainedAt).getTime()).toBeGreaterThan(new Date(trained.trainedAt).getTime());
    } finally {
      for (const app of apps) await app.close();
      await first.close();
    }
  });

  it('keeps training off the KB when it runs past its time limit, and says why in the model status', async () => {
    const limited = await startTestApp({
      intentTraining: {
        timeoutMs: 1,
        maxHeapMb: 1024,
        trafficQuestions: 2000,
        trafficRefreshMs: 3_600_000,
        selfTraining: true,
      },
    });
    try {
      const kbId = await createKb(limited.api);
      await limited.api
        .post(`/api/kbs/${kbId}/intents/import`)
        .attach('file', Buffer.from(CSV), 'intents.csv')
        .expect(201);
      await limited.wendao.app.get(KbIntentClassifierService).settled(kbId);
      const model = (await limited.api.get(`/api/kbs/${kbId}/intents/model`).expect(200)).body;
      expect(model).toMatchObject({ trained: false, source: null });
      expect(model.lastError.message).toMatch(/took longer than 0\.0 s/);
      expect(
        (await limited.api.post(`/api/kbs/${kbId}/intents/classify`).send({ text: '我要退款' }).expect(200))
          .body,
      ).toEqual({ label: null, modelRevision: null, revision: model.revision });
    } finally {
      await limited.close();
    }
  });

  it("weighs the intents by the KB's logged questions once there are enough, and says so in the model status", async () => {
    const { app, db, kbId, classifiers, label, done } = await trafficKb();
    try {
      // "怎么弄" ("how do I do it") is torn between the intents; with even labels it goes to invoice.
      expect((await label('怎么弄')).intent).toBe('invoice');
      await classifiers.settled(kbId);
      const untouched = (await app.api.get(`/api/kbs/${kbId}/intents/model`).expect(200)).body;
      expect(untouched.traffic).toMatchObject({ applied: false, rule: 'few-questions', questions: 0 });
      expect(untouched.traffic.reason).toMatch(/0 questions logged, fewer than the 200/);
      expect(untouched.selfTraining).toMatchObject({
        applied: false,
        rule: 'few-questions',
        cut: null,
        retrained: null,
      });

      // 330 logged questions, 320 of them about refunds.
      const logged: Array<[string, number]> = [
        ['退款到账了吗', 120],
        ['退款什么时候到', 100],
        ['我想退款', 60],
        ['退款怎么还没到', 40],
        ['发货了没', 5],
        ['发票怎么开', 5],
      ];
      for (const [question, n] of logged)
        await db.query(
          `INSERT INTO question_event (kb_id, channel, question, question_normalized, outcome, latency_ms)
           SELECT $1, 'api', $2, $2, 'faq', 1 FROM generate_series(1, $3)`,
          [kbId, question, n],
        );
      await label('怎么弄'); // due for a new estimate: scheduled in the background
      expect((await label('怎么弄')).intent).toBe('refund');
      const model = (await app.api.get(`/api/kbs/${kbId}/intents/model`).expect(200)).body;
      expect(model.traffic).toMatchObject({ applied: true, rule: 'applied', questions: 330 });
      expect(model.traffic.totalVariation).toBeGreaterThan(0.3);
      // A skewed mix weighs the intents; it does not train again on the log.
      expect(model.selfTraining).toMatchObject({
        applied: false,
        rule: 'traffic-weighed',
        pseudoLabelled: 0,
        cut: null,
        retrained: null,
      });
      // Weighing shifts the intents' biases only: the cut in force is the labels-only classifier's.
      expect(model.labelsOnly).toMatchObject({ threshold: model.threshold, temperature: model.temperature });
      const refund = model.traffic.shares.find((s: { intent: string }) => s.intent === 'refund');
      expect(refund.labelled).toBeCloseTo(1 / 3, 5);
      expect(refund.traffic).toBeGreaterThan(0.7);
      expect(new Date(model.traffic.estimatedAt).getTime()).toBeGreaterThan(
        new Date(model.trainedAt).getTime(),
      );
      // The stored model is the trained one: the shift is estimated from the log, never saved.
      const [{ model: stored }] = (
        await db.query(`SELECT model::text AS model FROM intent_model WHERE kb_id = $1`, [kbId])
      ).rows;
      const bias = JSON.parse(stored).bias as number[];
      expect(bias).toHaveLength(3);
      expect(JSON.parse(stored).classCounts).toEqual([5, 5, 5]);
    } finally {
      await done();
    }
  });

  it("trains again on the logged questions it accepts where their mix is like the labels', never storing that model", async () => {
    const { app, db, kbId, label, done } = await trafficKb();
    try {
      // 银子 (slang for money) shares no character with a label; customers say it when they ask for a refund.
      const before = await label('银子');
      expect(before?.intent ?? null).not.toBe('refund');
      // 210 distinct logged questions, as many of each intent as the labels have.
      const logged = Array.from({ length: 70 }, (_, i) => [
        `第${i}单申请退款的银子多久到账`,
        `第${i}单发货了吗`,
        `第${i}单的发票怎么开`,
      ]).flat();
      await db.query(
        `INSERT INTO question_event (kb_id, channel, question, question_normalized, outcome, latency_ms)
         SELECT $1, 'api', q, q, 'faq', 1 FROM unnest($2::text[]) AS q`,
        [kbId, logged],
      );
      await label('银子'); // due for a new estimate: scheduled in the background
      const model = (await app.api.get(`/api/kbs/${kbId}/intents/model`).expect(200)).body;
      expect(model.traffic).toMatchObject({ applied: false, rule: 'close-to-labels', questions: 210 });
      expect(model.selfTraining).toMatchObject({ applied: true, rule: 'applied', questions: 210 });
      expect(model.selfTraining.pseudoLabelled).toBeGreaterThan(150);
      expect(new Date(model.selfTraining.at).getTime()).toBeGreaterThan(new Date(model.trainedAt).getTime());
      // Which classifier each figure is from. The cross-validated accuracy and recall are the labels-only
      // classifier's (12 labels and the 3 intents' names); the classifier in force is the retrained one,
      // trained on those and the accepted questions, which kept the labels-only cut and temperature
      // (3 intents: a percentile cut) and so measured none of its own.
      const { labelsOnly, selfTraining } = model;
      expect(labelsOnly).toEqual({
        trainedOn: 15,
        threshold: expect.any(Number),
        temperature: expect.any(Number),
        c: expect.any(Number),
        inScopeAccuracy: model.inScopeAccuracy,
        outOfScopeRecall: model.outOfScopeRecall,
      });
      expect(labelsOnly.inScopeAccuracy).toEqual(expect.any(Number));
      expect(selfTraining.cut).toBe('kept');
      expect(selfTraining.retrained).toEqual({
        trainedOn: 15 + selfTraining.pseudoLabelled,
        threshold: labelsOnly.threshold,
        temperature: labelsOnly.temperature,
        c: labelsOnly.c,
        inScopeAccuracy: null,
        outOfScopeRecall: null,
      });
      expect(model).toMatchObject({
        threshold: labelsOnly.threshold,
        temperature: labelsOnly.temperature,
        c: labelsOnly.c,
      });
      expect((await label('银子')).intent).toBe('refund');
      // The stored model is the one trained on the labels: the log's questions are never saved in it.
      const [{ model: stored }] = (
        await db.query(`SELECT model::text AS model FROM intent_model WHERE kb_id = $1`, [kbId])
      ).rows;
      expect(JSON.parse(stored).classCounts).toEqual([5, 5, 5]);
      expect(model.examples).toBe(12);
    } finally {
      await done();
    }
  });

  it('lets a viewer read intents and classify, but only an editor write them', async () => {
    const kbId = await createKb(t.api);
    await upload(kbId, CSV).expect(201);
    const viewer = await t.userWithRole('viewer');
    const editor = await t.userWithRole('editor');
    expect((await viewer.api.get(`/api/kbs/${kbId}/intents`).expect(200)).body).toHaveLength(3);
    await viewer.api.post(`/api/kbs/${kbId}/intents`).send({ name: 'x' }).expect(403);
    await viewer.api
      .post(`/api/kbs/${kbId}/intents/import`)
      .attach('file', Buffer.from(CSV), 'intents.csv')
      .expect(403);
    await editor.api
      .post(`/api/kbs/${kbId}/intents`)
      .send({ name: 'greeting', examples: ['你好'] })
      .expect(201);
  });
});
