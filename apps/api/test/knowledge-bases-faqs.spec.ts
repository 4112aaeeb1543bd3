/**
 * Knowledge-base and FAQ CRUD over HTTP against real PostgreSQL (lexical mode): changes are
 * answerable at once, the answer cache never serves a stale answer, bad input gets JSON problems.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, fallbackMessage } from '@wendao/answer';
import { Client } from 'pg';
import { KnowledgeBaseRepository } from '../src/knowledge-bases/knowledge-base.repository';
import { createKb, startTestApp, uploadAndWait, type TestApp } from './support/test-app';

describe('knowledge bases, FAQ entries and asking (lexical mode)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ jsonMaxBytes: 64 * 1024, maxQuestionLength: 200 });
  });
  afterAll(async () => t?.close());

  const ask = async (kbId: string, question: string) =>
    (await t.api.post(`/api/kbs/${kbId}/ask`).send({ question }).expect(200)).body;

  it('saving a KB read before a concurrent publish keeps the published version, language and calibration', async () => {
    const id = await createKb(t.api, 'race', 'zh');
    const repository = t.wendao.app.get(KnowledgeBaseRepository);
    const stale = (await repository.byId(id))!;
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      // A publish (and a calibration) commit between the PATCH's read and its save.
      await db.query(
        `UPDATE knowledge_base SET version = version + 1, language = 'en', calibration = '{"calibrated": false}'
         WHERE id = $1`,
        [id],
      );
      stale.name = 'race, renamed';
      await repository.save(stale);
      const [row] = (
        await db.query('SELECT name, version, language, calibration FROM knowledge_base WHERE id = $1', [id])
      ).rows;
      expect(row).toEqual({
        name: 'race, renamed',
        version: 2,
        language: 'en',
        calibration: { calibrated: false },
      });
    } finally {
      await db.end();
    }
  });

  it("says which language a KB's content is in, and a language change publishes a version", async () => {
    const id = await createKb(t.api, 'lang', 'zh');
    const view = async () => (await t.api.get(`/api/kbs/${id}`).expect(200)).body;
    expect((await view()).contentLanguage).toBeNull(); // nothing to tell from yet
    for (const question of ['How long do refunds take?', 'Do you ship to Canada?', 'Can I change my order?'])
      await t.api.post(`/api/kbs/${id}/faqs`).send({ question, answer: 'Yes.' }).expect(201);
    const before = await view();
    expect(before).toMatchObject({ language: 'zh', contentLanguage: 'en' });
    const changed = (await t.api.patch(`/api/kbs/${id}`).send({ language: 'en' }).expect(200)).body;
    expect(changed).toMatchObject({ language: 'en', contentLanguage: 'en', version: before.version + 1 });
    expect((await ask(id, 'How long do refunds take?')).kbVersion).toBe(before.version + 1);
  });

  it('creates, lists, reads, updates and deletes a knowledge base', async () => {
    const created = await t.api.post('/api/kbs').send({ name: '售后', language: 'zh' }).expect(201);
    expect(created.body).toMatchObject({
      name: '售后',
      language: 'zh',
      version: 1,
      mode: 'lexical',
      modes: { faq: 'lexical', answer: 'lexical' },
    });
    // A new KB sets none of its own: the lexical defaults are in force.
    expect(created.body.effectiveThresholds).toEqual(DEFAULT_THRESHOLDS.lexical);
    const id = created.body.id as string;

    const list = await t.api.get('/api/kbs').expect(200);
    expect(list.body.map((kb: { id: string }) => kb.id)).toContain(id);

    const patched = await t.api
      .patch(`/api/kbs/${id}`)
      .send({ name: '售后客服', faqThreshold: 0.75, settings: { chunkTargetLength: 200 } })
      .expect(200);
    expect(patched.body).toMatchObject({
      name: '售后客服',
      faqThreshold: 0.75,
      settings: { chunkTargetLength: 200 },
    });
    expect(patched.body.effectiveThresholds).toEqual({ ...DEFAULT_THRESHOLDS.lexical, faq: 0.75 });
    expect(patched.body.thresholdSources.faq).toEqual({ value: 0.75, source: 'admin' });
    expect(patched.body.thresholdSources.answer.source).toBe('default');

    const reset = await t.api.patch(`/api/kbs/${id}`).send({ faqThreshold: null }).expect(200);
    expect(reset.body.effectiveThresholds.faq).toBe(DEFAULT_THRESHOLDS.lexical.faq);
    expect((await t.api.get(`/api/kbs/${id}`).expect(200)).body.name).toBe('售后客服');

    await t.api.delete(`/api/kbs/${id}`).expect(204);
    const gone = await t.api.get(`/api/kbs/${id}`).expect(404);
    expect(gone.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: `knowledge base ${id} not found`,
    });
  });

  it('rejects invalid knowledge-base input with 400 JSON problems and changes nothing', async () => {
    const before = (await t.api.get('/api/kbs').expect(200)).body.length;
    const noName = await t.api.post('/api/kbs').send({ language: 'zh' }).expect(400);
    expect(noName.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(noName.body.message).toMatch(/name/);
    const badLanguage = await t.api.post('/api/kbs').send({ name: 'x', language: 'fr' }).expect(400);
    expect(badLanguage.body.message).toMatch(/language/);
    const extra = await t.api.post('/api/kbs').send({ name: 'x', language: 'en', owner: 'me' }).expect(400);
    expect(extra.body.message).toMatch(/owner should not exist/);
    expect((await t.api.get('/api/kbs').expect(200)).body.length).toBe(before);

    const id = await createKb(t.api);
    const badThreshold = await t.api.patch(`/api/kbs/${id}`).send({ answerThreshold: 1.5 }).expect(400);
    expect(badThreshold.body.message).toMatch(/answerThreshold/);
    expect((await t.api.get(`/api/kbs/${id}`).expect(200)).body.answerThreshold).toBeNull();
  });

  it('restores a setting to its default on null, and refuses settings out of range or a target above the max', async () => {
    const id = await createKb(t.api, 'settings', 'zh');
    const view = async () => (await t.api.get(`/api/kbs/${id}`).expect(200)).body;
    // What each unset setting falls back to: the app's chunking config, 0.9, the Chinese fallback
    // replies (one points at the suggested questions, the other asks to rephrase when there are none).
    expect((await view()).settingDefaults).toEqual({
      chunkTargetLength: t.config.chunking.targetLength,
      chunkMaxLength: t.config.chunking.maxLength,
      chunkOverlap: t.config.chunking.overlap,
      targetPrecision: 0.9,
      fallbackMessages: ['抱歉，没有找到相关答案。您是不是想问下面的问题？也可以转人工客服。'],
      fallbackMessagesWithoutSuggestions: ['抱歉，没有找到相关答案。您可以换个说法再问，或转人工客服。'],
    });
    const set = { targetPrecision: 0.8, fallbackMessage: '请稍后再问', chunkMaxLength: 600, chunkOverlap: 2 };
    await t.api.patch(`/api/kbs/${id}`).send({ settings: set }).expect(200);
    expect((await view()).settings).toEqual(set);
    const cleared = await t.api
      .patch(`/api/kbs/${id}`)
      .send({ settings: { targetPrecision: null, fallbackMessage: null } })
      .expect(200);
    expect(cleared.body.settings).toEqual({ chunkMaxLength: 600, chunkOverlap: 2 });
    const noAnswer = await t.api.post(`/api/kbs/${id}/ask`).send({ question: '可以开发票吗？' }).expect(200);
    // The default reply again (the one for no suggestions: this KB has no FAQ to suggest).
    expect(noAnswer.body).toMatchObject({ type: 'fallback', answer: fallbackMessage(false, false) });

    // Out of range: refused with the allowed range named, never clamped.
    const refusals: [Record<string, unknown>, RegExp][] = [
      [{ settings: { targetPrecision: 0.3 } }, /settings\.targetPrecision must not be less than 0\.5/],
      [{ settings: { targetPrecision: 1 } }, /settings\.targetPrecision must not be greater than 0\.99/],
      [{ faqThreshold: 1.5 }, /faqThreshold must not be greater than 1/],
      [{ settings: { chunkOverlap: 6 } }, /settings\.chunkOverlap must not be greater than 5/],
      [
        { settings: { chunkTargetLength: 500, chunkMaxLength: 100 } },
        /settings\.chunkTargetLength \(500\) must not be greater than settings\.chunkMaxLength \(100\)/,
      ],
      // The max in force is the default when the KB sets none.
      [
        { settings: { chunkMaxLength: null, chunkTargetLength: t.config.chunking.maxLength + 1 } },
        /must not be greater than settings\.chunkMaxLength \(\d+, the default\)/,
      ],
    ];
    for (const [body, message] of refusals) {
      const res = await t.api.patch(`/api/kbs/${id}`).send(body).expect(400);
      expect(res.body.message).toMatch(message);
    }
    expect(await view()).toMatchObject({
      faqThreshold: null,
      settings: { chunkMaxLength: 600, chunkOverlap: 2 },
    });
  });

  it('answers a new FAQ entry immediately, by its question and its alternates', async () => {
    const kb = await createKb(t.api);
    const faq = await t.api
      .post(`/api/kbs/${kb}/faqs`)
      .send({
        question: '如何开具发票？',
        alternates: ['怎么开发票', '  怎么开发票 ', '能开增值税发票吗'],
        answer: '下单时在“发票信息”中填写抬头即可。',
        tags: ['发票'],
      })
      .expect(201);
    expect(faq.body.alternates).toEqual(['怎么开发票', '能开增值税发票吗']);
    expect(faq.body.enabled).toBe(true);

    const direct = await ask(kb, '如何开具发票？');
    expect(direct).toMatchObject({
      type: 'faq',
      mode: 'lexical',
      answer: '下单时在“发票信息”中填写抬头即可。',
    });
    expect(direct.source).toMatchObject({ kind: 'faq', id: faq.body.id, question: '如何开具发票？' });
    expect(direct.confidence).toBe(1);
    expect(direct.kbVersion).toBe(2);
    for (const key of ['total', 'cache', 'index', 'faq', 'retrieve', 'read'])
      expect(typeof direct.timings[key]).toBe('number');

    const viaAlternate = await ask(kb, '能开增值税发票吗');
    expect(viaAlternate.type).toBe('faq');
    expect(viaAlternate.source.id).toBe(faq.body.id);

    const unrelated = await ask(kb, '你们的仓库在哪个城市？');
    expect(unrelated.type).toBe('fallback');
    expect(unrelated.handoff).toBe(true);
  });

  it("refuses an enabled entry asking another enabled entry's question (409 faq_question_taken), which would be saved and never answer", async () => {
    const kb = await createKb(t.api);
    const first = (
      await t.api
        .post(`/api/kbs/${kb}/faqs`)
        .send({ question: '运费怎么算？', answer: '满99元包邮。' })
        .expect(201)
    ).body;
    const versionBefore = (await t.api.get(`/api/kbs/${kb}`).expect(200)).body.version;
    // The same question, also without its question mark, in another width or with other spaces.
    for (const question of ['运费怎么算？', '运费怎么算', ' 运费怎么算?? ', '运费怎么算　！']) {
      const refused = await t.api
        .post(`/api/kbs/${kb}/faqs`)
        .send({ question, answer: '不满99元收8元。' })
        .expect(409);
      expect(refused.body).toMatchObject({
        code: 'faq_question_taken',
        values: { question: '运费怎么算？', faqId: first.id },
      });
    }
    const english = (
      await t.api
        .post(`/api/kbs/${kb}/faqs`)
        .send({ question: 'Do you ship abroad?', answer: 'No.' })
        .expect(201)
    ).body;
    await t.api
      .post(`/api/kbs/${kb}/faqs`)
      .send({ question: 'do you SHIP  abroad', answer: 'Yes.' })
      .expect(409);
    // Nothing was stored by the refusals; the first entry still answers.
    const listed = (await t.api.get(`/api/kbs/${kb}/faqs`).expect(200)).body;
    expect(listed).toHaveLength(2);
    expect((await t.api.get(`/api/kbs/${kb}`).expect(200)).body.version).toBe(versionBefore + 1);
    expect((await ask(kb, '运费怎么算')).answer).toBe('满99元包邮。');

    // Renaming another entry to the question is refused too; keeping its own question is not.
    await t.api.patch(`/api/kbs/${kb}/faqs/${english.id}`).send({ question: '运费怎么算?' }).expect(409);
    await t.api
      .patch(`/api/kbs/${kb}/faqs/${english.id}`)
      .send({ question: 'Do you ship abroad?', answer: 'No, only within China.' })
      .expect(200);
    // A disabled entry never matches, so it may share the question, but it cannot be switched on
    // while the other is; once that one is off, it can.
    const draft = (
      await t.api
        .post(`/api/kbs/${kb}/faqs`)
        .send({ question: '运费怎么算', answer: '新的运费规则。', enabled: false })
        .expect(201)
    ).body;
    const taken = await t.api.patch(`/api/kbs/${kb}/faqs/${draft.id}`).send({ enabled: true }).expect(409);
    expect(taken.body.values).toEqual({ question: '运费怎么算？', faqId: first.id });
    await t.api.patch(`/api/kbs/${kb}/faqs/${first.id}`).send({ enabled: false }).expect(200);
    await t.api.patch(`/api/kbs/${kb}/faqs/${draft.id}`).send({ enabled: true }).expect(200);
    expect((await ask(kb, '运费怎么算')).answer).toBe('新的运费规则。');
  });

  it("drops an alternate that asks the entry's own question, as it drops a repeated one (create, edit, a question promoted from the alternates, an upload)", async () => {
    const kb = await createKb(t.api);
    const created = (
      await t.api
        .post(`/api/kbs/${kb}/faqs`)
        .send({
          question: '怎么退货？',
          alternates: ['怎么退货？', '怎么退货', ' 怎么退货?? ', '退货流程'],
          answer: '签收后7天内申请。',
        })
        .expect(201)
    ).body;
    expect(created.alternates).toEqual(['退货流程']);
    // Sent again on an edit; and a question renamed to one of its alternates leaves the alternates.
    const edited = await t.api
      .patch(`/api/kbs/${kb}/faqs/${created.id}`)
      .send({ alternates: ['退货流程', '怎么退货', '能退吗'] })
      .expect(200);
    expect(edited.body.alternates).toEqual(['退货流程', '能退吗']);
    const promoted = await t.api
      .patch(`/api/kbs/${kb}/faqs/${created.id}`)
      .send({ question: '退货流程' })
      .expect(200);
    expect(promoted.body).toMatchObject({ question: '退货流程', alternates: ['能退吗'] });
    expect((await t.api.get(`/api/kbs/${kb}/faqs/${created.id}`).expect(200)).body.alternates).toEqual([
      '能退吗',
    ]);
    expect((await ask(kb, '能退吗')).answer).toBe('签收后7天内申请。');
    // An uploaded row whose alternates repeat its question, with another mark or case.
    await uploadAndWait(t.api, kb, [
      {
        name: 'faq.csv',
        content: 'question,answer,alternates\nDo you ship abroad?,No.,do you ship abroad|Ship overseas?\n',
        type: 'text/csv',
      },
    ]);
    const listed = (await t.api.get(`/api/kbs/${kb}/faqs`).expect(200)).body as {
      question: string;
      alternates: string[];
    }[];
    expect(listed.find((f) => f.question === 'Do you ship abroad?')?.alternates).toEqual(['Ship overseas?']);
  });

  it('serves repeats from the cache and never a stale answer after a change', async () => {
    const kb = await createKb(t.api);
    const faq = (
      await t.api
        .post(`/api/kbs/${kb}/faqs`)
        .send({ question: '运费怎么算？', answer: '满99元包邮。' })
        .expect(201)
    ).body;
    const first = await ask(kb, '运费怎么算？');
    expect(first).toMatchObject({ answer: '满99元包邮。', cached: false });
    // Normalisation: full-width punctuation and spacing do not make a new cache entry.
    const repeat = await ask(kb, '  运费怎么算?');
    expect(repeat).toMatchObject({ answer: '满99元包邮。', cached: true, kbVersion: first.kbVersion });
    // Its timings are this request's: the cache lookup, no stage it did not run, within the total.
    const { cache, total, ...stages } = repeat.timings as Record<string, number>;
    expect(Object.keys(stages).sort()).toEqual(
      Object.keys(first.timings)
        .filter((k) => k !== 'cache' && k !== 'total')
        .sort(),
    );
    expect(Object.values(stages).every((ms) => ms === 0)).toBe(true);
    expect(cache).toBeLessThanOrEqual(total);
    // The cached answer keeps the decision behind it, for the test console to word.
    expect(first.evidence.decision.code).toBe('faq_confident');
    expect(repeat.evidence).toMatchObject({
      decision: first.evidence.decision,
      reason: first.evidence.reason,
    });

    await t.api.patch(`/api/kbs/${kb}/faqs/${faq.id}`).send({ answer: '满199元包邮。' }).expect(200);
    const afterEdit = await ask(kb, '运费怎么算？');
    expect(afterEdit).toMatchObject({
      answer: '满199元包邮。',
      cached: false,
      kbVersion: first.kbVersion + 1,
    });

    // Threshold changes are part of the key too: an FAQ hit can turn into a fallback.
    await t.api.patch(`/api/kbs/${kb}`).send({ faqThreshold: 1, answerThreshold: 1 }).expect(200);
    // Above the clarify floor but below an FAQ threshold of 1: the entry is offered, not answered.
    expect((await ask(kb, '运费怎么收')).type).toBe('clarify');
    await t.api.patch(`/api/kbs/${kb}`).send({ faqThreshold: null, answerThreshold: null }).expect(200);

    await t.api.patch(`/api/kbs/${kb}/faqs/${faq.id}`).send({ enabled: false }).expect(200);
    const disabled = await ask(kb, '运费怎么算？');
    expect(disabled.type).not.toBe('faq');
    expect(disabled.cached).toBe(false);

    await t.api.patch(`/api/kbs/${kb}/faqs/${faq.id}`).send({ enabled: true }).expect(200);
    expect((await ask(kb, '运费怎么算？')).answer).toBe('满199元包邮。');

    await t.api.delete(`/api/kbs/${kb}/faqs/${faq.id}`).expect(204);
    expect((await ask(kb, '运费怎么算？')).type).toBe('fallback');
    await t.api.get(`/api/kbs/${kb}/faqs/${faq.id}`).expect(404);
  });

  it('lists, reads and validates FAQ entries', async () => {
    const kb = await createKb(t.api, 'faq list', 'en');
    const a = (
      await t.api
        .post(`/api/kbs/${kb}/faqs`)
        .send({ question: 'Do you ship abroad?', answer: 'No.' })
        .expect(201)
    ).body;
    const b = (
      await t.api
        .post(`/api/kbs/${kb}/faqs`)
        .send({ question: 'Can I pay later?', answer: 'Yes.' })
        .expect(201)
    ).body;
    const list = (await t.api.get(`/api/kbs/${kb}/faqs`).expect(200)).body;
    expect(list.map((f: { id: string }) => f.id)).toEqual([a.id, b.id]);
    expect((await t.api.get(`/api/kbs/${kb}/faqs/${b.id}`).expect(200)).body.answer).toBe('Yes.');

    const empty = await t.api.post(`/api/kbs/${kb}/faqs`).send({ question: '', answer: 'x' }).expect(400);
    expect(empty.body.message).toMatch(/question should not be empty/);
    const badAlternates = await t.api
      .post(`/api/kbs/${kb}/faqs`)
      .send({ question: 'q', answer: 'a', alternates: 'not a list' })
      .expect(400);
    expect(badAlternates.body.message).toMatch(/alternates/);
    expect((await t.api.get(`/api/kbs/${kb}/faqs`).expect(200)).body).toHaveLength(2);
    expect((await t.api.get(`/api/kbs/${kb}`).expect(200)).body.version).toBe(3);

    await t.api.get(`/api/kbs/${kb}/faqs/00000000-0000-0000-0000-000000000000`).expect(404);
    await t.api.patch(`/api/kbs/${kb}/faqs/not-an-id`).send({ answer: 'x' }).expect(404);
  });

  it('answers 400 for empty, blank, missing or too long questions, and 404 for unknown KBs', async () => {
    const kb = await createKb(t.api);
    for (const body of [{ question: '' }, { question: '   ' }, {}, { question: 42 }, { question: '？？' }]) {
      const res = await t.api.post(`/api/kbs/${kb}/ask`).send(body).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      expect(res.body.message).toMatch(/question/);
    }
    const long = await t.api
      .post(`/api/kbs/${kb}/ask`)
      .send({ question: '长'.repeat(201) })
      .expect(400);
    expect(long.body.message).toBe('question is too long (201 characters; the limit is 200)');
    // Characters, not UTF-16 units: 150 emoji (300 units) are within the limit, 201 are not.
    const emoji = '😀';
    const fine = await t.api.post(`/api/kbs/${kb}/ask`).send({ question: `运费${emoji.repeat(150)}` });
    expect(fine.status).toBe(200);
    const tooMany = await t.api
      .post(`/api/kbs/${kb}/ask`)
      .send({ question: emoji.repeat(201) })
      .expect(400);
    expect(tooMany.body.message).toBe('question is too long (201 characters; the limit is 200)');

    // A field of the wrong type is told its type, not also the rules that hold only for that type.
    const wrongType = await t.api
      .post(`/api/kbs/${kb}/ask`)
      .send({ question: '运费', sessionId: 5 })
      .expect(400);
    expect(wrongType.body.message).toBe('sessionId must be a string');
    const threshold = await t.api.patch(`/api/kbs/${kb}`).send({ faqThreshold: '0.5' }).expect(400);
    expect(threshold.body.message).toMatch(/^faqThreshold must be a number[^;]*$/);

    const unknown = await t.api
      .post('/api/kbs/00000000-0000-0000-0000-000000000000/ask')
      .send({ question: '你好' })
      .expect(404);
    expect(unknown.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    await t.api.get('/api/kbs/nope/faqs').expect(404);
    await t.api.get('/api/kbs/nope/documents').expect(404);
  });

  it('answers 413 and 400 with JSON bodies for oversized and malformed JSON', async () => {
    const kb = await createKb(t.api);
    const big = await t.api
      .post(`/api/kbs/${kb}/faqs`)
      .send({ question: 'q', answer: 'x'.repeat(100 * 1024) })
      .expect(413);
    expect(big.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    const malformed = await t.api
      .post(`/api/kbs/${kb}/faqs`)
      .set('content-type', 'application/json')
      .send('{"question": ')
      .expect(400);
    expect(malformed.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'request body is not valid JSON',
    });
    expect((await t.api.get(`/api/kbs/${kb}/faqs`).expect(200)).body).toHaveLength(0);
  });

  it('reports liveness, readiness and serves the OpenAPI document', async () => {
    expect((await t.api.get('/health').expect(200)).body).toEqual({
      status: 'ok',
      mode: 'lexical',
      models: [],
    });
    const ready = (await t.api.get('/ready').expect(200)).body;
    expect(ready).toMatchObject({ status: 'ready', database: true, indexes: { ready: true } });
    const doc = (await t.api.get('/api/docs-json').expect(200)).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/kbs',
        '/api/kbs/{id}/ask',
        '/api/kbs/{id}/documents',
        '/api/jobs/{id}',
        '/api/kbs/import',
      ]),
    );
    const html = await t.api.get('/api/docs').expect(200);
    expect(html.text).toMatch(/swagger/i);
  });
});
