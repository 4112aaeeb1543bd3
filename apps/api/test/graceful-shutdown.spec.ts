/**
 * Shutting down (SIGTERM in main.ts calls the same close): new requests are refused with 503 at
 * once, a request already in flight is still answered, with the database open, and only then does
 * the app close and its port with it, and with it every database connection it held (the pool and
 * the index sync's LISTEN connection). Also the headers every route carries (helmet, no X-Powered-By).
 */
import { connect, type Socket } from 'node:net';
import { Client } from 'pg';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startListeningTestApp, type ListeningTestApp } from './support/listening-app';
import { createKb, startTestApp, waitForJob } from './support/test-app';

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('graceful shutdown and response headers', () => {
  let t: ListeningTestApp;
  beforeAll(async () => {
    t = await startListeningTestApp();
  });
  afterAll(async () => t?.close());

  it('sends security headers and no X-Powered-By', async () => {
    const res = await t.api.get('/health').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('refuses new requests, finishes the request in flight against the open database, then closes', async () => {
    const kbId = await createKb(t.api, 'shutdown', 'en');
    const boundary = 'wendao-boundary';
    const file = 'question,answer\nWhen do you ship?,Within 24 hours.\n';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="faq.csv"\r\nContent-Type: text/csv\r\n\r\n`;
    const tail = `${file}\r\n--${boundary}--\r\n`;
    const socket: Socket = connect(t.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString()));
    const answered = new Promise<void>((r) => socket.once('end', () => r()));
    socket.write(
      `POST /api/kbs/${kbId}/documents HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n` +
        `Cookie: ${t.owner.cookie}\r\nX-CSRF-Token: ${t.owner.csrfToken}\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: ${Buffer.byteLength(head + tail)}\r\n\r\n${head}`,
    );
    await new Promise((r) => setTimeout(r, 100)); // the request is in flight: headers and half the body sent

    let closed = false;
    const closing = t.wendao.close().then(() => (closed = true));
    await new Promise((r) => setTimeout(r, 200));
    const late = await request(`http://127.0.0.1:${t.port}`).get('/health');
    expect(late.status).toBe(503);
    expect(late.body.message).toBe('the server is shutting down');
    expect(closed).toBe(false);

    socket.write(tail); // not end(): a half-closed client socket aborts its own request
    await answered;
    expect(response).toMatch(/^HTTP\/1\.1 202/);
    const jobId = /"id":"([0-9a-f-]{36})"/.exec(response)![1];
    await closing;
    expect(closed).toBe(true);
    expect(await canConnect(t.port)).toBe(false);
    // A backend leaves pg_stat_activity a moment after its client disconnects.
    const admin = new Client({ connectionString: t.databaseUrl });
    await admin.connect();
    try {
      const others = async () =>
        (
          await admin.query(
            'SELECT application_name FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
          )
        ).rows;
      await expect.poll(others, { timeout: 5000 }).toEqual([]);
    } finally {
      await admin.end();
    }

    // The upload was stored before the database closed: a new app on the same database finishes it.
    const again = await startTestApp({ databaseUrl: t.databaseUrl, dataDir: t.config.dataDir });
    try {
      expect((await waitForJob(again.api, jobId)).status).toBe('succeeded');
    } finally {
      await again.stop();
    }
  });
});
