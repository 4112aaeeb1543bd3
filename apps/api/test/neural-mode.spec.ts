/**
 * Neural mode with tiny random-weight BERT models built by @wendao/models (a sentence encoder and
 * an extractive QA reader): embeddings are stored as float4 bytes, answers say mode 'neural',
 * spans point exactly into their passages, and FAQ matching uses embedding cosine.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AnswerEncoder } from '@wendao/answer';
import { writeTinyModel } from '@wendao/models';
import { Client } from 'pg';
import { DEFAULT_THRESHOLDS } from '@wendao/answer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThreadedEncoder } from '@wendao/encoder';
import { KbIndexService } from '../src/indexes/kb-index.service';
import { KbIntentClassifierService } from '../src/intents/kb-intent-classifier.service';
import { ModelsService } from '../src/models/models.service';
import { RETURN_POLICY } from './support/fixtures';
import { createKb, startTestApp, testConfig, uploadAndWait, type TestApp } from './support/test-app';

/**
 * The API over a models dir holding a tiny encoder and, with `reader`, a tiny QA model (which says it
 * reads only `readerLanguages` when given, as a pulled catalog model does).
 */
async function startNeuralApp(options: {
  reader: boolean;
  readerLanguages?: string[];
  encoderThread?: boolean;
}): Promise<TestApp> {
  const base = testConfig();
  const modelsDir = join(base.dataDir, 'models');
  mkdirSync(modelsDir, { recursive: true });
  await writeTinyModel(join(modelsDir, 'tiny-embedder'), { head: 'embedder', seed: 7 });
  if (options.reader)
    await writeTinyModel(join(modelsDir, 'tiny-qa'), {
      head: 'qa',
      seed: 11,
      languages: options.readerLanguages,
    });
  return startTestApp({ dataDir: base.dataDir, modelsDir, encoderThread: options.encoderThread ?? false });
}

describe('neural mode (tiny built ONNX models)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startNeuralApp({ reader: true });
  });
  afterAll(async () => t?.close());

  it('loads both models and reports neural mode', async () => {
    const health = (await t.api.get('/health').expect(200)).body;
    expect(health.mode).toBe('neural');
    expect(health.models.map((m: { task: string }) => m.task).sort()).toEqual(['embedder', 'qa']);
    // Both fp32 models are served rebuilt without padding (each matched its file on load).
    expect(health.models.map((m: { layout: string }) => m.layout)).toEqual(['packed', 'packed']);
    // /health is public: it never shows where the models lie, to the owner or to anyone else.
    for (const agent of [t.api, t.anonymous]) {
      const body = (await agent.get('/health').expect(200)).body;
      expect(body.models).toHaveLength(2);
      for (const m of body.models) expect(m).not.toHaveProperty('dir');
      expect(JSON.stringify(body)).not.toContain(t.config.modelsDir);
    }
    const kb = (await t.api.post('/api/kbs').send({ name: 'n', language: 'zh' }).expect(201)).body;
    expect(kb.effectiveThresholds).toEqual(DEFAULT_THRESHOLDS.neural);
  });

  it('stores passage embeddings as float4 bytes and answers with spans into the passage', async () => {
    const kb = await createKb(t.api);
    // Random weights cannot judge answers: let the reader's best span through.
    await t.api.patch(`/api/kbs/${kb}`).send({ answerThreshold: 0, faqThreshold: 0.999 }).expect(200);
    const [job] = await uploadAndWait(t.api, kb, [
      {
        name: 'policy.txt',
        content: `退货政策\n\n${RETURN_POLICY}\n\nShipping takes 3 to 5 days.\n`,
        type: 'text/plain',
      },
    ]);
    expect(job.status).toBe('succeeded');
    expect(job.progress.embedded).toBe(job.progress.total);

    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const rows = (await db.query('SELECT embedding, embedding_model FROM passage WHERE kb_id = $1', [kb]))
      .rows;
    await db.end();
    expect(rows.length).toBeGreaterThan(0);
    const encoderId = (await t.api.get('/health')).body.models.find(
      (m: { task: string }) => m.task === 'embedder',
    ).modelId;
    for (const row of rows) {
      expect(row.embedding_model).toBe(encoderId);
      const vector = new Float32Array(new Uint8Array(row.embedding).buffer);
      const norm = Math.sqrt(vector.reduce((s, x) => s + x * x, 0));
      expect(norm).toBeCloseTo(1, 3);
    }

    const encoder = t.wendao.app.get(ModelsService).encoderFor('zh') as AnswerEncoder;
    const before = encoder.stats;
    const res = (await t.api.post(`/api/kbs/${kb}/ask`).send({ question: '退货期限是多久？' }).expect(200))
      .body;
    expect(res.mode).toBe('neural');
    expect(res.type).toBe('extracted');
    // One embedding of the question serves the FAQ match and the passage retrieval.
    expect(encoder.stats.textsEncoded - before.textsEncoded).toBe(1);
    expect(encoder.stats.cacheHits - before.cacheHits).toBe(0);
    expect(res.timings.embed).toBeGreaterThan(0);
    expect(res.source.text.slice(res.source.start, res.source.end)).toBe(res.answer);
  });

  it('a rebuild re-embeds the passages another encoder embedded and stores them for the next one', async () => {
    const kb = await createKb(t.api);
    const [job] = await uploadAndWait(t.api, kb, [
      { name: 'policy.txt', content: `退货政策\n\n${RETURN_POLICY}\n`, type: 'text/plain' },
    ]);
    expect(job.status).toBe('succeeded');
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const passages = (
        await db.query(
          `UPDATE passage SET embedding_model = 'another-encoder' WHERE kb_id = $1 RETURNING id`,
          [kb],
        )
      ).rowCount!;
      expect(passages).toBeGreaterThan(0);
      const indexes = t.wendao.app.get(KbIndexService);
      await indexes.drop(kb); // the saved index goes too: the next question rebuilds from PostgreSQL
      const encoder = t.wendao.app.get(ModelsService).encoderFor('zh') as AnswerEncoder;
      const texts = () => encoder.stats.textsEncoded + encoder.stats.cacheHits;
      const before = texts();
      const builds = indexes.stats.builds;
      await t.api.post(`/api/kbs/${kb}/ask`).send({ question: '退货期限是多久？' }).expect(200);
      expect(indexes.stats.builds).toBe(builds + 1);
      // Every passage embedded again (the encoder's cache may hold them), plus the question.
      expect(texts() - before).toBe(passages + 1);
      const models = (await db.query('SELECT DISTINCT embedding_model FROM passage WHERE kb_id = $1', [kb]))
        .rows;
      expect(models).toEqual([{ embedding_model: encoder.modelId }]);
    } finally {
      await db.end();
    }
  });

  it('matches an FAQ by embedding cosine, including right after it is created', async () => {
    const kb = await createKb(t.api);
    await t.api
      .post(`/api/kbs/${kb}/faqs`)
      .send({ question: '如何开具发票？', answer: '在订单详情中申请。' })
      .expect(201);
    await t.api
      .post(`/api/kbs/${kb}/faqs`)
      .send({ question: '运费怎么算？', answer: '满99元包邮。' })
      .expect(201);
    const res = (await t.api.post(`/api/kbs/${kb}/ask`).send({ question: '运费怎么算？' }).expect(200)).body;
    expect(res).toMatchObject({ type: 'faq', mode: 'neural', answer: '满99元包邮。' });
    expect(res.confidence).toBeCloseTo(1, 3);
  });
});

describe('neural mode with the encoder on its own thread (WENDAO_ENCODER_THREAD=true)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startNeuralApp({ reader: false, encoderThread: true });
  });
  afterAll(async () => t?.close());

  it('ingests, answers and matches FAQs through the worker, as on the main thread', async () => {
    const encoder = t.wendao.app.get(ModelsService).encoderFor('zh') as AnswerEncoder;
    expect(encoder).toBeInstanceOf(ThreadedEncoder);
    const kb = await createKb(t.api);
    const [job] = await uploadAndWait(t.api, kb, [
      { name: 'policy.txt', content: `退货政策\n\n${RETURN_POLICY}\n`, type: 'text/plain' },
    ]);
    expect(job.status).toBe('succeeded');
    expect(job.progress.embedded).toBe(job.progress.total);
    const faq = { question: '发票怎么开？', answer: '下单时选择电子发票。' };
    await t.api.post(`/api/kbs/${kb}/faqs`).send(faq).expect(201);
    // The question's embedding comes from the worker (its cache holds the FAQ's own question).
    const embedded = () => encoder.stats.textsEncoded + encoder.stats.cacheHits;
    const before = embedded();
    const res = (await t.api.post(`/api/kbs/${kb}/ask`).send({ question: faq.question }).expect(200)).body;
    expect(res).toMatchObject({ type: 'faq', answer: faq.answer });
    expect(embedded()).toBe(before + 1);
  });
});

describe('neural mode with an English-only reader', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startNeuralApp({ reader: true, readerLanguages: ['en'] });
  });
  afterAll(async () => t?.close());

  it('reads a Chinese KB with the lexical reader and an English one with the model', async () => {
    const health = (await t.api.get('/health').expect(200)).body;
    expect(health.models.find((m: { task: string }) => m.task === 'qa').serves).toEqual(['en', 'mixed']);

    const zh = await createKb(t.api, 'zh shop', 'zh');
    const zhView = (await t.api.get(`/api/kbs/${zh}`).expect(200)).body;
    expect(zhView.mode).toBe('lexical');
    // What answers it, as the test console shows per answer: the encoder matches FAQs, the lexical reader reads.
    expect(zhView.modes).toEqual({ faq: 'neural', answer: 'lexical' });
    // Neural FAQ matching (the embedder serves every language), the lexical reader's answer threshold.
    expect(zhView.effectiveThresholds).toEqual({
      ...DEFAULT_THRESHOLDS.neural,
      answer: DEFAULT_THRESHOLDS.lexical.answer,
    });
    await uploadAndWait(t.api, zh, [
      { name: 'policy.txt', content: `退货政策\n\n${RETURN_POLICY}\n`, type: 'text/plain' },
    ]);
    const res = (await t.api.post(`/api/kbs/${zh}/ask`).send({ question: '退货期限是多久？' }).expect(200))
      .body;
    // The article's answer, read by the lexical reader: the English model never sees Chinese.
    expect(res).toMatchObject({ type: 'extracted', mode: 'lexical', answer: '7天内' });

    const en = await createKb(t.api, 'en shop', 'en');
    expect((await t.api.get(`/api/kbs/${en}`).expect(200)).body.modes).toEqual({
      faq: 'neural',
      answer: 'neural',
    });
    // The list says the same of each KB.
    const listed = (await t.api.get('/api/kbs').expect(200)).body as { id: string; modes: unknown }[];
    expect(listed.find((kb) => kb.id === zh)?.modes).toEqual({ faq: 'neural', answer: 'lexical' });
  });
});

describe('neural mode with an embedder per KB language', () => {
  let t: TestApp;
  beforeAll(async () => {
    const base = testConfig();
    const modelsDir = join(base.dataDir, 'models');
    mkdirSync(modelsDir, { recursive: true });
    // As `wendao models pull` lays out the default catalog: a Chinese embedder and one serving both.
    for (const [name, languages, seed] of [
      ['zh-embedder', ['zh'], 7],
      ['multi-embedder', ['zh', 'en'], 13],
    ] as const)
      await writeTinyModel(join(modelsDir, name), {
        head: 'embedder',
        seed,
        modelId: name,
        languages: [...languages],
      });
    t = await startTestApp({ dataDir: base.dataDir, modelsDir, encoderThread: false });
  });
  afterAll(async () => t?.close());

  const embeddingModels = async (kb: string): Promise<string[]> => {
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    try {
      const rows = await db.query('SELECT DISTINCT embedding_model FROM passage WHERE kb_id = $1', [kb]);
      return rows.rows.map((r) => r.embedding_model);
    } finally {
      await db.end();
    }
  };

  it("embeds each KB with its language's encoder, and again with the other when its language changes", async () => {
    const health = (await t.api.get('/health').expect(200)).body;
    expect(health.models.map((m: { id: string; serves: string[] }) => [m.id, m.serves])).toEqual([
      ['zh-embedder', ['zh']],
      ['multi-embedder', ['en', 'mixed']],
    ]);
    const upload = (kb: string) =>
      uploadAndWait(t.api, kb, [
        { name: 'policy.txt', content: `退货政策\n\n${RETURN_POLICY}\n`, type: 'text/plain' },
      ]);
    const zh = await createKb(t.api, 'zh shop', 'zh');
    const en = await createKb(t.api, 'en shop', 'en');
    await upload(zh);
    await upload(en);
    expect(await embeddingModels(zh)).toEqual(['zh-embedder']);
    expect(await embeddingModels(en)).toEqual(['multi-embedder']);
    const indexes = t.wendao.app.get(KbIndexService);
    const before = (await t.api.get(`/api/kbs/${zh}`).expect(200)).body.version;
    expect((await indexes.ensure(zh, before)).modelId).toBe('zh-embedder');

    // The language picks the encoder: a new version, whose index holds the other encoder's vectors.
    const changed = (await t.api.patch(`/api/kbs/${zh}`).send({ language: 'en' }).expect(200)).body;
    expect(changed).toMatchObject({ language: 'en', version: before + 1 });
    const res = (await t.api.post(`/api/kbs/${zh}/ask`).send({ question: 'return period?' }).expect(200))
      .body;
    expect(res.kbVersion).toBe(before + 1);
    expect((await indexes.ensure(zh, before + 1)).modelId).toBe('multi-embedder');
    // The rebuild stored what it embedded, so the next one reads it.
    expect(await embeddingModels(zh)).toEqual(['multi-embedder']);
    // Sending the language it already has publishes nothing.
    await t.api.patch(`/api/kbs/${zh}`).send({ language: 'en', name: 'en shop 2' }).expect(200);
    expect((await t.api.get(`/api/kbs/${zh}`).expect(200)).body.version).toBe(before + 1);
  });

  it("trains a KB's intent classifier on its language's encoder, and again after a language change", async () => {
    const kb = await createKb(t.api, 'intent shop', 'zh');
    for (const [name, examples] of [
      ['refund', ['我要退款', '退款多久到账', '怎么申请退款']],
      ['invoice', ['怎么开发票', '发票抬头写错了', '能开专票吗']],
    ] as const)
      await t.api.post(`/api/kbs/${kb}/intents`).send({ name, examples }).expect(201);
    const intents = t.wendao.app.get(KbIntentClassifierService);
    const model = async () => {
      await t.api.get(`/api/kbs/${kb}/intents/model`).expect(200); // schedules a training when due
      await intents.settled(kb);
      return (await t.api.get(`/api/kbs/${kb}/intents/model`).expect(200)).body;
    };
    expect(await model()).toMatchObject({ trained: true, usesEmbedder: true, embedder: 'zh-embedder' });
    const before = (await model()).revision;
    await t.api.patch(`/api/kbs/${kb}`).send({ language: 'en' }).expect(200);
    const after = await model();
    expect(after).toMatchObject({ trained: true, embedder: 'multi-embedder', revision: before + 1 });
    expect(after.trainedRevision).toBe(after.revision);
  });

  it('applies a change only to an index of the encoder its vectors came from; another catches up', async () => {
    // A FAQ write embeds before its transaction: were the KB's language changed meanwhile, its vectors
    // would be of the old encoder and must not enter the new index.
    const kb = await createKb(t.api, 'faq shop', 'en');
    const faq = { question: 'How do I get an invoice?', answer: 'Choose an e-invoice at checkout.' };
    await t.api.post(`/api/kbs/${kb}/faqs`).send(faq).expect(201);
    const indexes = t.wendao.app.get(KbIndexService);
    const version = (await t.api.get(`/api/kbs/${kb}`).expect(200)).body.version;
    expect((await indexes.ensure(kb, version)).modelId).toBe('multi-embedder');
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const publish = async () =>
      (
        await db.query('UPDATE knowledge_base SET version = version + 1 WHERE id = $1 RETURNING version', [
          kb,
        ])
      ).rows[0].version as number;
    let applied = false;
    const change = (encoderId: string) => async () => ({
      version: await publish(),
      apply: () => void (applied = true),
      encoderId,
      result: undefined,
    });
    try {
      await indexes.write(kb, change('zh-embedder'));
      expect(applied).toBe(false);
      expect(indexes.loadedVersion(kb)).toBe(version); // left behind: the next question catches it up
      const res = (await t.api.post(`/api/kbs/${kb}/ask`).send({ question: faq.question }).expect(200)).body;
      expect(res).toMatchObject({ type: 'faq', answer: faq.answer, kbVersion: version + 1 });
      expect(indexes.loadedVersion(kb)).toBe(version + 1);
      await indexes.write(kb, change('multi-embedder'));
      expect(applied).toBe(true);
      expect(indexes.loadedVersion(kb)).toBe(version + 2);
    } finally {
      await db.end();
    }
  });
});
