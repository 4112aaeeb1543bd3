/**
 * REDIS_URL set: answers are cached in Redis (shared by replicas), ingestion jobs travel through
 * BullMQ, and a change made through one replica is answered correctly by another.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_CACHE, type AnswerCache } from '../src/cache/answer-cache';
import { INGESTION_QUEUE, type IngestionQueue } from '../src/documents/ingestion-queue';
import { RETURN_POLICY } from './support/fixtures';
import { createKb, startTestApp, TEST_REDIS_URL, uploadAndWait, type TestApp } from './support/test-app';

describe('with Redis: shared answer cache and BullMQ ingestion queue', () => {
  const prefix = `wendao-test-${randomBytes(4).toString('hex')}`;
  const redis = new Redis(TEST_REDIS_URL);
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ redisUrl: TEST_REDIS_URL, redisPrefix: prefix });
    // A second replica: same database and Redis, its own data dir and in-memory indexes.
    b = await startTestApp({ redisUrl: TEST_REDIS_URL, redisPrefix: prefix, databaseUrl: a.databaseUrl });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('uses Redis for the cache and BullMQ for the queue', () => {
    expect(a.wendao.app.get<AnswerCache>(ANSWER_CACHE).kind).toBe('redis');
    expect(a.wendao.app.get<IngestionQueue>(INGESTION_QUEUE).kind).toBe('bullmq');
  });

  it('ingests an upload through BullMQ and answers from it on either replica', async () => {
    const kb = await createKb(a.api);
    const [job] = await uploadAndWait(a.api, kb, [
      { name: 'policy.txt', content: `${RETURN_POLICY}\n`, type: 'text/plain' },
    ]);
    expect(job).toMatchObject({ status: 'succeeded', counts: { passages: 1 } });
    expect(await redis.keys(`${prefix}:ingest:*`)).not.toHaveLength(0);
    for (const replica of [a, b]) {
      const res = (
        await replica.api.post(`/api/kbs/${kb}/ask`).send({ question: '退货期限是多久？' }).expect(200)
      ).body;
      expect(res.answer).toBe('7天内');
    }
  });

  it('shares cached answers between replicas and never serves a stale one after a change', async () => {
    const kb = await createKb(a.api);
    const faq = (
      await a.api
        .post(`/api/kbs/${kb}/faqs`)
        .send({ question: '几点关门？', answer: '晚上9点。' })
        .expect(201)
    ).body;
    const first = (await a.api.post(`/api/kbs/${kb}/ask`).send({ question: '几点关门？' }).expect(200)).body;
    expect(first).toMatchObject({ answer: '晚上9点。', cached: false });
    expect((await redis.keys(`${prefix}:answer:*`)).length).toBeGreaterThan(0);
    const fromOther = (await b.api.post(`/api/kbs/${kb}/ask`).send({ question: '几点关门？' }).expect(200))
      .body;
    expect(fromOther).toMatchObject({ answer: '晚上9点。', cached: true });

    await a.api.patch(`/api/kbs/${kb}/faqs/${faq.id}`).send({ answer: '晚上10点。' }).expect(200);
    // Replica b never saw the change in memory: the KB version in PostgreSQL tells it to reload.
    const afterChange = (await b.api.post(`/api/kbs/${kb}/ask`).send({ question: '几点关门？' }).expect(200))
      .body;
    expect(afterChange).toMatchObject({
      answer: '晚上10点。',
      cached: false,
      kbVersion: first.kbVersion + 1,
    });
  });
});
