/**
 * A job's progress stream (server-sent events) lasts until the job ends: at shutdown it is ended at
 * once, like the chat sockets, instead of holding the stop for the whole grace of requests in flight.
 */
import { get } from 'node:http';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListeningTestApp, type ListeningTestApp } from './support/listening-app';
import { createKb, uploadAndWait } from './support/test-app';

describe('shutdown with a job progress stream open', () => {
  let t: ListeningTestApp;
  beforeAll(async () => {
    t = await startListeningTestApp();
  });
  afterAll(async () => t?.close());

  it('ends the stream and stops well within the 10 s grace', async () => {
    // Before: the stream counted as a request in flight, so every stop of a replica with an admin
    // watching a queued upload waited the whole 10 s grace (SIGKILLed first under Docker's default).
    const kbId = await createKb(t.api, 'streams', 'en');
    const [job] = await uploadAndWait(t.api, kbId, [
      { name: 'faq.csv', content: 'question,answer\nWhen do you ship?,Within 24 hours.\n' },
    ]);
    // A job still waiting for a worker (none runs it here): its stream stays open.
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    await db.query(`UPDATE ingestion_job SET status = 'queued', finished_at = NULL WHERE id = $1`, [job.id]);
    await db.end();

    let received = '';
    const ended = new Promise<void>((resolve) => {
      const req = get(
        {
          host: '127.0.0.1',
          port: t.port,
          path: `/api/jobs/${job.id}/events`,
          headers: { Cookie: t.owner.cookie, Accept: 'text/event-stream' },
        },
        (res) => {
          res.on('data', (chunk: Buffer) => (received += chunk.toString()));
          res.on('close', () => resolve());
        },
      );
      req.on('error', () => resolve());
    });
    for (let i = 0; i < 100 && !received.includes('"status":"queued"'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(received).toContain('"status":"queued"');

    const started = Date.now();
    await t.wendao.close();
    await ended;
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
