/**
 * PostgreSQL going away under a running server (issue 16), on an embedded PostgreSQL this test
 * starts and stops itself (never the machine's shared one): ask, upload and FAQ writes answer 503
 * with Retry-After and no driver text, /ready says false while /health stays up, a job in flight
 * ends (and its SSE stream with it), and everything recovers by itself when the database returns.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config';
import { EmbeddedDatabase } from '../src/database/embedded-database';
import { manyPagePdf } from '../../../bench/lib/hostile-files';
import { createKb, startTestApp, waitForJob, type TestApp } from './support/test-app';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('database outage', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wendao-outage-'));
  // Enterable by the `postgres` user when run as root, so the cluster stays in here and is removed with it.
  chmodSync(dataDir, 0o755);
  let database: EmbeddedDatabase;
  let port: number;
  let t: TestApp;
  let kbId: string;
  beforeAll(async () => {
    port = await freePort();
    database = new EmbeddedDatabase(join(dataDir, 'db'), { port });
    const databaseUrl = await database.start();
    t = await startTestApp({
      databaseUrl,
      dataDir: join(dataDir, 'app'),
      parsing: { ...loadConfig({}).parsing, timeoutMs: 60_000, pdfMaxPages: 5000 },
      jobs: { maxAttempts: 2, staleAfterMs: 2_000, sweepIntervalMs: 500 },
    });
    kbId = await createKb(t.api, 'outage', 'en');
    await t.api
      .post(`/api/kbs/${kbId}/faqs`)
      .send({ question: 'How long?', answer: 'Seven days.' })
      .expect(201);
  });
  afterAll(async () => {
    await t?.stop();
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 + Retry-After without driver text, /ready false, ends the job in flight, and recovers', async () => {
    // A job that is mid-parse when the database goes away (a 2400-page PDF takes seconds to read).
    const upload = await t.api
      .post(`/api/kbs/${kbId}/documents`)
      .attach('files', await manyPagePdf(2400), 'long.pdf')
      .expect(202);
    const jobId = upload.body.jobs[0].id as string;
    const sse = t.api
      .get(`/api/jobs/${jobId}/events`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      });
    const streamEnded = new Promise<string>((resolve, reject) =>
      sse.then((res) => resolve(res.body as string), reject),
    );
    for (;;) {
      const job = (await t.api.get(`/api/jobs/${jobId}`).expect(200)).body;
      if (job.status === 'running') break;
      await new Promise((r) => setTimeout(r, 50));
    }

    await database.stop();
    const writes = [
      await t.api.post(`/api/kbs/${kbId}/ask`).send({ question: 'How long?' }),
      await t.api.post(`/api/kbs/${kbId}/faqs`).send({ question: 'Fees?', answer: 'None.' }),
      await t.api
        .post(`/api/kbs/${kbId}/documents`)
        .attach('files', Buffer.from('question,answer\nq,a\n'), 'f.csv'),
      await t.api.get(`/api/kbs/${kbId}/faqs`),
    ];
    for (const res of writes) {
      expect(res.status, JSON.stringify(res.body)).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.message).toBe('the database is unavailable; try again shortly');
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|terminat|connect|127\.0\.0\.1/i);
    }
    const ready = await t.api.get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.database).toBe(false);
    expect((await t.api.get('/health').expect(200)).body.status).toBe('ok');
    // The job's progress stream ends instead of waiting forever.
    const events = await streamEnded;
    expect(events).toContain(jobId);

    await database.start();
    // Recovery needs nobody: the pool reconnects, the job in flight is settled as failed.
    const until = Date.now() + 30_000;
    while ((await t.api.get('/ready')).status !== 200) {
      if (Date.now() > until) throw new Error('not ready 30 s after the database came back');
      await new Promise((r) => setTimeout(r, 200));
    }
    // The job in flight settles instead of staying `running`: failed with a plain reason if it
    // needed the database during the outage, or finished if its parse outlasted the outage.
    const job = await waitForJob(t.api, jobId, 60_000);
    if (job.status === 'failed')
      expect(job.error).toMatch(/long\.pdf: the database became unavailable while ingesting it/);
    else expect(job).toMatchObject({ status: 'succeeded', counts: { passages: expect.any(Number) } });
    const answer = await t.api.post(`/api/kbs/${kbId}/ask`).send({ question: 'How long?' }).expect(200);
    expect(answer.body.answer).toBe('Seven days.');
    await t.api.post(`/api/kbs/${kbId}/faqs`).send({ question: 'Fees?', answer: 'None.' }).expect(201);
  });
});
