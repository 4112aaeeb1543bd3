/**
 * What a browser page on another origin may do, and how big a body may be: no CORS headers unless
 * WENDAO_CORS_ORIGINS lists the page's origin; a JSON body over WENDAO_JSON_MAX_BYTES is a 413
 * problem before any handler runs, while the KB import has its own, larger limit; and a widget key
 * limited to some origins refuses a socket.io long-polling handshake that carries no Origin header, unless
 * its Referer (what a browser sends on a same-origin GET) names an allowed page.
 */
import { io } from 'socket.io-client';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config';
import { listen } from './support/chat-client';
import { startTestApp, type TestApp } from './support/test-app';

const ADMIN = 'https://admin.example.com';
const SHOP = 'https://shop.example.com';

describe('CORS, body size limits and socket origins', () => {
  let plain: TestApp;
  let cors: TestApp;

  beforeAll(async () => {
    plain = await startTestApp({ demo: true, jsonMaxBytes: 1024, importMaxBytes: 64 * 1024 });
    cors = await startTestApp({ corsOrigins: [ADMIN] });
  });

  afterAll(async () => {
    await plain?.close();
    await cors?.close();
  });

  const preflight = (t: TestApp, origin: string) =>
    request(t.wendao.app.getHttpServer())
      .options('/api/kbs')
      .set('Origin', origin)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type');

  it('sends no CORS headers by default, so browsers allow same-origin calls only', async () => {
    const pre = await preflight(plain, 'https://evil.example');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const get = await request(plain.wendao.app.getHttpServer()).get('/api/kbs').set('Origin', ADMIN);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows exactly the configured origins, with credentials', async () => {
    const allowed = await preflight(cors, ADMIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(ADMIN);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const other = await preflight(cors, 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('reads WENDAO_CORS_ORIGINS and WENDAO_TRUST_PROXY, refusing what is not an origin', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ WENDAO_CORS_ORIGINS: `${ADMIN}/, http://localhost:5173` }).corsOrigins).toEqual([
      ADMIN,
      'http://localhost:5173',
    ]);
    expect(() => loadConfig({ WENDAO_CORS_ORIGINS: `${ADMIN}/admin` })).toThrow(/WENDAO_CORS_ORIGINS/);
    expect(() => loadConfig({ WENDAO_CORS_ORIGINS: '*' })).toThrow(/WENDAO_CORS_ORIGINS/);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ WENDAO_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ WENDAO_TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toBe(
      'loopback, 10.0.0.0/8',
    );
  });

  it('answers a JSON body over the limit with a 413 problem; the import has its own limit', async () => {
    const big = await plain.api.post('/api/kbs').send({ name: 'x'.repeat(2000), language: 'zh' });
    expect(big.status).toBe(413);
    expect(big.body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'request body is larger than the configured limit',
    });
    // 2 KB is over the general limit but within the import's: parsed, then refused as an import.
    const notAnImport = await plain.api.post('/api/kbs/import').send({ format: 'x'.repeat(2000) });
    expect(notAnImport.status).toBe(400);
    const hugeImport = await plain.api.post('/api/kbs/import').send({ format: 'x'.repeat(70 * 1024) });
    expect(hugeImport.status).toBe(413);
  });

  it('refuses a long-polling handshake without an Origin header (or a Referer from an allowed page) for a widget key limited to origins', async () => {
    const url = await listen(plain);
    const kbId = (await plain.api.get('/api/kbs').expect(200)).body[0].id;
    const key = (
      await plain.api
        .post(`/api/kbs/${kbId}/widget-keys`)
        .send({ allowedOrigins: [SHOP] })
        .expect(201)
    ).body.key;
    const connect = (headers: Record<string, string>) =>
      new Promise<string>((resolve) => {
        const socket = io(`${url}/chat`, {
          auth: { key },
          extraHeaders: headers,
          transports: ['polling'],
          reconnection: false,
          forceNew: true,
        });
        socket.once('connect', () => {
          socket.close();
          resolve('connected');
        });
        socket.once('connect_error', (err) => {
          socket.close();
          resolve(err.message);
        });
      });
    expect(await connect({})).toBe('origin (none) is not allowed to use this widget key');
    expect(await connect({ Origin: 'https://evil.example' })).toMatch(
      /origin https:\/\/evil.example is not allowed/,
    );
    expect(await connect({ Origin: SHOP })).toBe('connected');
    // A browser sends no Origin on a same-origin GET: a page served on an allowed origin that also
    // serves Wendao (a shop proxying it) says where it is in its Referer. Another page's is refused.
    expect(await connect({ Referer: `${SHOP}/products/42?ref=mail` })).toBe('connected');
    expect(await connect({ Referer: 'https://evil.example/shop' })).toMatch(
      /origin https:\/\/evil.example is not allowed/,
    );
    // Origin, when sent, is what counts.
    expect(await connect({ Origin: 'https://evil.example', Referer: `${SHOP}/` })).toMatch(/not allowed/);
  });
});
