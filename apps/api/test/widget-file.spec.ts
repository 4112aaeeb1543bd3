/**
 * GET /widget.js: the built widget, loadable from any page, compressed (brotli, else gzip) for a
 * browser that accepts it (nothing in front of the API compresses it: not the nginx of
 * docker-compose.yml) and plain for a client that does not; the file is read again when it changes.
 * The compression is the app's (the compression middleware), so the API's large JSON answers are
 * compressed too, and the job progress stream is not (events must arrive as they are written).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from './support/chat-client';
import { rawGet as get } from './support/raw-get';
import { startTestApp, type TestApp } from './support/test-app';

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

  it('sends it compressed to a browser that accepts it: brotli, else gzip', async () => {
    const br = await get(url, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(br.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(br.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(br.headers['cache-control']).toBe('public, max-age=300');
    expect(br.body.length).toBeLessThan(code.length / 10);
    expect(brotliDecompressSync(br.body).toString('utf8')).toBe(code);
    const gzip = await get(url, { 'Accept-Encoding': 'gzip, deflate' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.body.length).toBeLessThan(code.length / 10);
    expect(gunzipSync(gzip.body).toString('utf8')).toBe(code);
  });

  it('sends it plain to a client that asks for no encoding or refuses them', async () => {
    const asks: Record<string, string>[] = [
      {},
      { 'Accept-Encoding': 'identity' },
      { 'Accept-Encoding': 'gzip;q=0, br;q=0' },
    ];
    for (const headers of asks) {
      const res = await get(url, headers);
      expect(res.headers['content-encoding'], JSON.stringify(headers)).toBeUndefined();
      expect(res.body.toString('utf8')).toBe(code);
    }
  });

  it("compresses the API's large JSON answers too", async () => {
    const res = await get(url.replace('/widget.js', '/api/docs-json'), { 'Accept-Encoding': 'gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.body).toString('utf8'))).toHaveProperty('openapi');
  });

  it('serves the file as it is now after a rebuild', async () => {
    const rebuilt = code.replace('wendao widget', 'rebuilt widget');
    writeFileSync(file, rebuilt);
    const res = await get(url, { 'Accept-Encoding': 'gzip' });
    expect(gunzipSync(res.body).toString('utf8')).toBe(rebuilt);
  });
});
