/**
 * The admin console's files at /admin: its scripts and styles compressed for a browser that
 * accepts it (the app's compression middleware; nothing in front of the API compresses them), plain
 * otherwise; images as they are; deep links answered with index.html.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from './support/chat-client';
import { rawGet as get } from './support/raw-get';
import { startTestApp, type TestApp } from './support/test-app';

describe('GET /admin assets', () => {
  const adminDir = mkdtempSync(join(tmpdir(), 'wendao-admin-assets-'));
  const script = `export const app=()=>{${'console.log("wendao admin console");'.repeat(3000)}};\n`;
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');
  const index =
    '<!doctype html><title>Wendao admin</title><script src="/admin/assets/index-abc.js"></script>';
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    mkdirSync(join(adminDir, 'assets'));
    writeFileSync(join(adminDir, 'index.html'), index);
    writeFileSync(join(adminDir, 'assets', 'index-abc.js'), script);
    writeFileSync(join(adminDir, 'assets', 'logo-abc.png'), png);
    t = await startTestApp({ adminDir });
    base = `${await listen(t)}/admin`;
  });

  afterAll(async () => {
    await t?.close();
    rmSync(adminDir, { recursive: true, force: true });
  });

  it('sends a script gzipped to a browser that accepts gzip, still cached for good', async () => {
    const res = await get(`${base}/assets/index-abc.js`, { 'Accept-Encoding': 'gzip, deflate' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['vary']).toMatch(/Accept-Encoding/i);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body.length).toBeLessThan(script.length / 10);
    expect(gunzipSync(res.body).toString('utf8')).toBe(script);
  });

  it('sends it plain without gzip, images as they are, and index.html for a deep link', async () => {
    const plain = await get(`${base}/assets/index-abc.js`, {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString('utf8')).toBe(script);
    const image = await get(`${base}/assets/logo-abc.png`, { 'Accept-Encoding': 'gzip' });
    expect(image.headers['content-encoding']).toBeUndefined();
    expect(image.body.equals(png)).toBe(true);
    const deep = await get(`${base}/kbs/some-kb/faqs`, { 'Accept-Encoding': 'gzip' });
    expect(deep.status).toBe(200);
    expect(deep.body.toString('utf8')).toBe(index);
    expect((await get(`${base}/assets/missing.js`, { 'Accept-Encoding': 'gzip' })).status).toBe(404);
  });
});
