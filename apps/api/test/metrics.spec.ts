/**
 * GET /metrics as Prometheus scrapes it: counters move with an upload and asks, labels carry route
 * patterns and never a KB id or a question, the token guards the HTTP port (401 / 200) and without
 * one the HTTP port has no /metrics at all; a worker is scraped on WENDAO_METRICS_PORT. And the
 * access log at `debug` names the route pattern, never the query string or the cookie.
 */
import { randomBytes } from 'node:crypto';
import { stripVTControlCharacters } from 'node:util';
import Redis from 'ioredis';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createKb,
  startTestApp,
  TEST_REDIS_URL,
  uploadAndWait,
  waitForJob,
  type TestApp,
} from './support/test-app';

const TOKEN = 'metrics-test-token-0123456789';
const FAQ_CSV = '问题,答案\n退货期限是多久？,签收后7天内可申请退货。\n';

/** The value of the sample `name` whose labels include `labels` (0 when there is none). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return 0;
}

describe('GET /metrics with WENDAO_METRICS_TOKEN', () => {
  let t: TestApp;
  const scrape = async () =>
    (await t.anonymous.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200)).text;

  beforeAll(async () => {
    t = await startTestApp({ metrics: { token: TOKEN } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 401 without the token or with another one, and the exposition with it', async () => {
    const none = await t.anonymous.get('/metrics').expect(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.text).not.toContain('wendao_');
    await t.anonymous.get('/metrics').set('Authorization', 'Bearer not-the-token').expect(401);
    await t.anonymous.get('/metrics').set('Authorization', TOKEN).expect(401);
    // A signed-in owner is no scraper either.
    await t.api.get('/metrics').expect(401);

    const ok = await t.anonymous.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.text).toContain('# TYPE wendao_process_cpu_user_seconds_total counter');
    expect(sample(ok.text, 'wendao_nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(sample(ok.text, 'wendao_kb_indexes_ready')).toBe(1);
  });

  it('counts an upload, asks by type, mode and cache, and requests by route pattern, naming no KB or question', async () => {
    const before = await scrape();
    const kbId = await createKb(t.api, 'metrics kb', 'zh');
    const [job] = await uploadAndWait(t.api, kbId, [{ name: 'faq.csv', content: FAQ_CSV, type: 'text/csv' }]);
    expect(job.status).toBe('succeeded');
    const [failed] = await uploadAndWait(t.api, kbId, [
      { name: 'empty.txt', content: ' \n', type: 'text/plain' },
    ]);
    expect(failed.status).toBe('failed');
    for (let i = 0; i < 2; i++)
      expect(
        (
          await t.api
            .post(`/api/kbs/${kbId}/ask?trace=${i}`)
            .send({ question: '退货期限是多久？' })
            .expect(200)
        ).body.type,
      ).toBe('faq');

    // The job's own end is counted just after its row says so: poll the scrape.
    await expect
      .poll(async () => sample(await scrape(), 'wendao_ingestion_jobs_total', { status: 'succeeded' }))
      .toBe(sample(before, 'wendao_ingestion_jobs_total', { status: 'succeeded' }) + 1);
    await expect
      .poll(async () => sample(await scrape(), 'wendao_ingestion_jobs_total', { status: 'failed' }))
      .toBe(sample(before, 'wendao_ingestion_jobs_total', { status: 'failed' }) + 1);
    // One FAQ entry is too few to calibrate: the run ends with the defaults kept.
    await expect
      .poll(async () => sample(await scrape(), 'wendao_calibration_runs_total', { outcome: 'too_small' }))
      .toBeGreaterThan(sample(before, 'wendao_calibration_runs_total', { outcome: 'too_small' }));
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(delta('wendao_asks_total', { type: 'faq', mode: 'lexical', cache: 'miss' })).toBe(1);
    expect(delta('wendao_asks_total', { type: 'faq', mode: 'lexical', cache: 'hit' })).toBe(1);
    expect(delta('wendao_questions_total', { channel: 'api', outcome: 'faq' })).toBe(2);
    expect(delta('wendao_ingestion_job_duration_seconds_count', { status: 'succeeded' })).toBe(1);
    expect(
      delta('wendao_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/kbs/:id/ask',
        status_class: '2xx',
      }),
    ).toBe(2);
    expect(
      delta('wendao_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/kbs/:id/documents',
        status_class: '2xx',
      }),
    ).toBe(2);
    // Tenant data never becomes a label: no KB id, name, question, file name or query string.
    for (const secret of [kbId, 'metrics kb', '退货', 'faq.csv', 'trace='])
      expect(after).not.toContain(secret);
  });

  it('labels a path no route matched as one series, whatever the path', async () => {
    const before = await scrape();
    await t.anonymous.get(`/no-such-page/${randomBytes(4).toString('hex')}`).expect(404);
    const after = await scrape();
    const labels = { method: 'GET', route: 'unmatched', status_class: '4xx' };
    expect(
      sample(after, 'wendao_http_request_duration_seconds_count', labels) -
        sample(before, 'wendao_http_request_duration_seconds_count', labels),
    ).toBe(1);
    expect(after).not.toContain('no-such-page');
  });
});

describe('metrics without a token, and the metrics port', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ metrics: { port: 0 } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('has no /metrics on the HTTP port, and serves it alone on the metrics port', async () => {
    await t.anonymous.get('/metrics').expect(404);
    const port = t.wendao.metricsPort!;
    expect(port).toBeGreaterThan(0);
    const metrics = request(`http://127.0.0.1:${port}`);
    const res = await metrics.get('/metrics').expect(200);
    expect(res.text).toContain('wendao_process_start_time_seconds');
    await metrics.get('/api/kbs').expect(404);
    await metrics.post('/metrics').expect(404);
  });
});

describe('a worker is scraped on its metrics port', () => {
  const prefix = `wendao-test-${randomBytes(4).toString('hex')}`;
  let api: TestApp;
  let worker: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ role: 'api', redisUrl: TEST_REDIS_URL, redisPrefix: prefix });
    worker = await startTestApp({
      role: 'worker',
      redisUrl: TEST_REDIS_URL,
      redisPrefix: prefix,
      databaseUrl: api.databaseUrl,
      metrics: { port: 0, token: TOKEN },
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it("counts the jobs it ran, behind the token, on the worker's metrics port", async () => {
    const metrics = request(`http://127.0.0.1:${worker.wendao.metricsPort}`);
    await metrics.get('/metrics').expect(401);
    const kbId = await createKb(api.api, 'worker metrics', 'zh');
    const res = await api.api
      .post(`/api/kbs/${kbId}/documents`)
      .attach('files', Buffer.from(FAQ_CSV), { filename: 'faq.csv', contentType: 'text/csv' })
      .expect(202);
    expect((await waitForJob(api.api, res.body.jobs[0].id as string)).status).toBe('succeeded');
    const scrape = async () =>
      (await metrics.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200)).text;
    await expect
      .poll(async () => sample(await scrape(), 'wendao_ingestion_jobs_total', { status: 'succeeded' }))
      .toBe(1);
    expect(sample(await scrape(), 'wendao_kb_indexes_loaded')).toBe(0);
  });
});

describe('the access log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ logLevel: 'debug' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('writes method, route pattern, status and duration at debug, never the query string, cookie or ids', async () => {
    const kbId = await createKb(t.api, 'access log kb', 'zh');
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await t.api
        .get(`/api/kbs/${kbId}?token=query-secret&q=退货`)
        .set('Cookie', `${t.owner.cookie}; tracking=cookie-secret`)
        .set('Authorization', 'Bearer header-secret-token')
        .expect((res) => expect([200, 401]).toContain(res.status));
      await t.api.get(`/api/kbs/${kbId}`).expect(200);
    } finally {
      spy.mockRestore();
    }
    // Colours are the logger's business (app-logger.spec.ts): read the text without them.
    const lines = stripVTControlCharacters(written.join(''))
      .split('\n')
      .filter((l) => l.includes('[HTTP]'));
    expect(lines.some((l) => /DEBUG \[HTTP\] GET \/api\/kbs\/:id 200 \d+(\.\d+)? ms/.test(l))).toBe(true);
    const log = lines.join('\n');
    for (const secret of [
      'query-secret',
      'token=',
      '退货',
      'cookie-secret',
      'wendao_session',
      'header-secret',
      kbId,
    ])
      expect(log).not.toContain(secret);
  });
});
