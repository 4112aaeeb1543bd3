/**
 * Roles with Redis (two apps in this process on one PostgreSQL and one Redis): a WENDAO_ROLE=api
 * replica only enqueues uploads, a WENDAO_ROLE=worker process ingests them (no index in memory), and
 * the job's progress reaches the api replica's event stream over Redis pub/sub; the api replica's
 * index catches up with what the worker published. loadConfig refuses a role without Redis.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config';
import { JobEvents, type JobView } from '../src/documents/job-events';
import { KbIndexService } from '../src/indexes/kb-index.service';
import { createKb, startTestApp, TEST_REDIS_URL, waitForJob, type TestApp } from './support/test-app';

describe('api and worker roles with Redis', () => {
  const prefix = `wendao-test-${randomBytes(4).toString('hex')}`;
  let api: TestApp;
  let worker: TestApp | undefined;
  const startWorker = () =>
    startTestApp({
      role: 'worker',
      redisUrl: TEST_REDIS_URL,
      redisPrefix: prefix,
      databaseUrl: api.databaseUrl,
    });

  beforeAll(async () => {
    api = await startTestApp({ role: 'api', redisUrl: TEST_REDIS_URL, redisPrefix: prefix });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('refuses WENDAO_ROLE without REDIS_URL, and an unknown role', () => {
    expect(() => loadConfig({ WENDAO_ROLE: 'worker' })).toThrow(/WENDAO_ROLE=worker needs REDIS_URL/);
    expect(() => loadConfig({ WENDAO_ROLE: 'both', REDIS_URL: TEST_REDIS_URL })).toThrow(/WENDAO_ROLE/);
    expect(loadConfig({}).role).toBe('all');
    expect(() => loadConfig({ WENDAO_SHARD_ORGANISATIONS: 'shop-1' })).toThrow(/WENDAO_SHARD_ORGANISATIONS/);
  });

  it('the api replica queues, the worker ingests, and the progress reaches the api replica over Redis', async () => {
    const kbId = await createKb(api.api, 'roles', 'zh');
    const res = await api.api
      .post(`/api/kbs/${kbId}/documents`)
      .attach('files', Buffer.from('问题,答案\n退货期限是多久？,签收后7天内可申请退货。\n'), {
        filename: 'faq.csv',
        contentType: 'text/csv',
      })
      .expect(202);
    const jobId = res.body.jobs[0].id as string;
    // Nobody consumes the queue yet: the api replica does not ingest.
    await new Promise((r) => setTimeout(r, 500));
    expect((await api.api.get(`/api/jobs/${jobId}`).expect(200)).body.status).toBe('queued');

    const heard: JobView[] = [];
    api.wendao.app.get(JobEvents).on(`job:${jobId}`, (job: JobView) => heard.push(job));
    worker = await startWorker();
    expect(worker.wendao.app.get(KbIndexService).loadedCount).toBe(0);
    const job = await waitForJob(api.api, jobId);
    expect(job).toMatchObject({ status: 'succeeded', counts: { faqs: 1 } });
    // Every event came from the worker process, through Redis.
    await expect.poll(() => heard.at(-1)?.status).toBe('succeeded');
    expect(heard.some((e) => e.status === 'running')).toBe(true);

    const answer = (
      await api.api.post(`/api/kbs/${kbId}/ask`).send({ question: '退货期限是多久？' }).expect(200)
    ).body;
    expect(answer).toMatchObject({
      type: 'faq',
      answer: '签收后7天内可申请退货。',
      kbVersion: job.kbVersion,
    });
    expect(worker.wendao.app.get(KbIndexService).loadedCount).toBe(0);
  });
});
