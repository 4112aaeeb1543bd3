/**
 * GET /widget.js: the built widget, loadable from any page, gzipped for a browser that accepts it
 * (nothing in front of the API compresses it: not the nginx of docker-compose.yml) and plain for a
 * client that does not; the file is read again when it changes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from './support/chat-client';
import { startTestApp, type TestApp } from './support/test-app';

/** The raw response: status, headers and the body's bytes as sent (not decompressed). */
function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      httpRequest(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
        .on('error', reject)
        .end();
    },
  );
}

describe('GET /widget.js', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wendao-widget-file-'));
  const file = join(dir, 'widget.js');
  // Repetitive like a minified bundle: gzip makes it a fraction of its size.
  const code = `(function(){${'var a="wendao widget";'.repeat(2000)}})();\n`;
  let t: TestApp;
  let url: string;

  beforeAll(async () => {
    writeFileSync(file, code);
    t = await startTestApp({ widgetFile: file });
    url = `${await listen(t)}/widget.js`;
  });

  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends it gzipped to a browser that accepts gzip', async () => {
    const res = await get(url, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.body.length).toBeLessThan(code.length / 10);
    expect(gunzipSync(res.body).toString('utf8')).toBe(code);
  });

  it('sends it plain to a client that asks for no encoding or refuses gzip', async () => {
    const asks: Record<string, string>[] = [
      {},
      { 'Accept-Encoding': 'identity' },
      { 'Accept-Encoding': 'gzip;q=0, br' },
    ];
    for (const headers of asks) {
      const res = await get(url, headers);
      expect(res.headers['content-encoding'], JSON.stringify(headers)).toBeUndefined();
      expect(res.body.toString('utf8')).toBe(code);
    }
  });

  it('serves the file as it is now after a rebuild', async () => {
    const rebuilt = code.replace('wendao widget', 'rebuilt widget');
    writeFileSync(file, rebuilt);
    const res = await get(url, { 'Accept-Encoding': 'gzip' });
    expect(gunzipSync(res.body).toString('utf8')).toBe(rebuilt);
  });
});
