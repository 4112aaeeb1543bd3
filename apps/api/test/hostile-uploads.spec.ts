/**
 * Issue 16's poison pills through the real upload API: a .docx whose XML inflates to 200 MB, a zip
 * of zeros named .docx, a PDF with thousands of pages, and one that is slow to read. Each job fails
 * with its reason, /health keeps answering while they are parsed, the KB is unchanged, the process
 * stays within bounded memory, and a job that took its process down is not re-run forever.
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config';
import { docxBomb, manyPagePdf, zerosDocx } from '../../../bench/lib/hostile-files';
import { docxDocument } from './support/fixtures';
import { createKb, startTestApp, uploadAndWait, waitForJob, type TestApp } from './support/test-app';

const parsing = {
  ...loadConfig({}).parsing,
  timeoutMs: 1000,
  maxHeapMb: 256,
  zipMaxUncompressedBytes: 50 * 1024 * 1024,
  pdfMaxPages: 2500,
};

describe('hostile uploads', () => {
  let t: TestApp;
  let kbId: string;
  beforeAll(async () => {
    t = await startTestApp({
      parsing,
      jobs: { maxAttempts: 2, staleAfterMs: 60_000, sweepIntervalMs: 60_000 },
    });
    kbId = await createKb(t.api, 'hostile', 'en');
  });
  afterAll(async () => t?.close());

  async function kbState() {
    const kb = (await t.api.get(`/api/kbs/${kbId}`).expect(200)).body;
    const faqs = (await t.api.get(`/api/kbs/${kbId}/faqs`).expect(200)).body;
    const docs = (await t.api.get(`/api/kbs/${kbId}/documents`).expect(200)).body;
    return { version: kb.version, faqs: faqs.length, documents: docs.length };
  }

  it('fails each poison pill with its reason, the KB unchanged and memory bounded', async () => {
    const before = await kbState();
    const files = [
      { name: 'bomb.docx', content: await docxBomb(200, { lieAboutSize: true }) },
      { name: 'honest-bomb.docx', content: await docxBomb(200) },
      { name: 'zeros.docx', content: await zerosDocx(300) },
      { name: 'pages.pdf', content: await manyPagePdf(3000) },
    ];
    for (const f of files) expect(f.content.length).toBeLessThan(3 * 1024 * 1024);
    const rssBefore = process.memoryUsage().rss;

    const upload = await t.api
      .post(`/api/kbs/${kbId}/documents`)
      .attach('files', files[0].content, 'bomb.docx')
      .attach('files', files[1].content, 'honest-bomb.docx')
      .attach('files', files[2].content, 'zeros.docx')
      .attach('files', files[3].content, 'pages.pdf')
      .expect(202);
    const ids: string[] = upload.body.jobs.map((j: { id: string }) => j.id);
    const jobs = await Promise.all(ids.map((id) => waitForJob(t.api, id, 60_000)));
    const errors = Object.fromEntries(jobs.map((j) => [j.file, j.error as string]));
    expect(jobs.map((j) => j.status)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(errors['bomb.docx']).toMatch(/inflates to more than the 1024 bytes its header declares/);
    expect(errors['honest-bomb.docx']).toMatch(/declares 200 MiB of content, over the 50 MiB limit/);
    expect(errors['zeros.docx']).toMatch(/zeros\.docx.*(header declares|compressed more than)/);
    expect(errors['pages.pdf']).toMatch(/has 3000 pages; the limit is 2500/);
    expect(jobs.find((j) => j.file === 'pages.pdf')).toMatchObject({
      errorCode: 'pdf_too_many_pages',
      errorValues: { file: 'pages.pdf', pages: 3000, limit: 2500 },
    });
    // The issue saw RSS go from 0.2 to 2.6 GB on the zip of zeros alone.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 1024 * 1024);
    expect(await kbState()).toEqual(before);
  });

  it('stops a parse that runs past its time limit while /health keeps answering', async () => {
    const before = await kbState();
    const slow = await manyPagePdf(2400); // under the page limit; ~2.8 s of pdf.js work on a quiet machine
    const res = await t.api.post(`/api/kbs/${kbId}/documents`).attach('files', slow, 'slow.pdf').expect(202);
    const jobId = res.body.jobs[0].id as string;
    let answeredWhileRunning = 0;
    for (;;) {
      const job = (await t.api.get(`/api/jobs/${jobId}`).expect(200)).body;
      if (job.status !== 'running' && job.status !== 'queued') {
        expect(job.status).toBe('failed');
        expect(job.error).toMatch(/slow\.pdf: reading it took longer than 1\.0 s/);
        break;
      }
      const health = await t.api.get('/health').timeout(1000);
      expect(health.status).toBe(200);
      if (job.status === 'running') answeredWhileRunning++;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(answeredWhileRunning).toBeGreaterThan(3);
    expect(await kbState()).toEqual(before);
  });

  it('after a restart, fails a job that already took its process down as often as allowed; retries one that has attempts left', async () => {
    const good = await docxDocument('Returns', [
      'Q: How long do I have to return an item?',
      'A: Within 7 days.',
    ]);
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    const insert = (name: string, attempts: number) =>
      db.query(
        `INSERT INTO ingestion_job (kb_id, file_name, source_type, sha256, size_bytes, content, status, attempts, heartbeat_at)
         VALUES ($1, $2, 'docx', md5($2) || md5($2), $3, $4, 'running', $5, now()) RETURNING id`,
        [kbId, name, good.length, good, attempts],
      );
    // What a process that died mid-parse leaves behind: rows still 'running'.
    const poison = (await insert('killer.docx', 2)).rows[0].id as string;
    const retry = (await insert('retry.docx', 1)).rows[0].id as string;
    await db.end();

    await t.stop();
    const restarted = await startTestApp({
      databaseUrl: t.databaseUrl,
      dataDir: t.config.dataDir,
      parsing,
      jobs: { maxAttempts: 2, staleAfterMs: 60_000, sweepIntervalMs: 60_000 },
    });
    try {
      const failed = await waitForJob(restarted.api, poison);
      expect(failed.status).toBe('failed');
      expect(failed.error).toMatch(
        /killer\.docx: processing started 2 times and never finished.*will not be retried/,
      );
      expect(failed).toMatchObject({
        errorCode: 'abandoned',
        errorValues: { file: 'killer.docx', attempts: 2 },
      });
      const done = await waitForJob(restarted.api, retry);
      expect(done.status).toBe('succeeded');
      expect(done.counts.faqs).toBe(1);
    } finally {
      await restarted.stop();
    }
    t = await startTestApp({ databaseUrl: t.databaseUrl, dataDir: t.config.dataDir, parsing });
  });

  it('still ingests an ordinary Word document through the worker', async () => {
    const jobs = await uploadAndWait(t.api, kbId, [
      {
        name: 'ok.docx',
        content: await docxDocument('Shipping', ['Q: When do you ship?', 'A: Within 24 hours.']),
      },
    ]);
    expect(jobs[0]).toMatchObject({ status: 'succeeded', counts: { faqs: 1 } });
  });
});
