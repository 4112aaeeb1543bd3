/**
 * Rate limits against the real server, counted in process and in Redis: over the per-IP or the
 * per-credential limit a request gets 429 with Retry-After and a problem body, another IP or
 * credential is unaffected, /health and /ready never are; socket connections per IP and customer
 * messages per widget key get a `rate_limited` refusal. With Redis, two app instances share the counts
 * (every limit below is reached by alternating requests between them).
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import request from 'supertest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config';
import { connectChat, listen, type ChatClient } from './support/chat-client';
import { startTestApp, TEST_REDIS_URL, type TestApp } from './support/test-app';

const PER_IP = 6;
const PER_KEY = 4;
const LOGINS = 3;

describe.each([
  ['in process', undefined],
  ['in Redis, shared by two app instances', TEST_REDIS_URL],
])('rate limits %s', (_, redisUrl) => {
  const prefix = `wendao-test-${randomBytes(4).toString('hex')}`;
  const apps: TestApp[] = [];
  const urls: string[] = [];
  const clients: ChatClient[] = [];
  let key: string;

  /** A request to the i-th app (alternating when there are two), from `ip` through the loopback proxy. */
  const get = (i: number, path: string, ip: string, headers: Record<string, string> = {}) => {
    let req = request(apps[i % apps.length].wendao.app.getHttpServer())
      .get(path)
      .set('X-Forwarded-For', ip);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return req;
  };

  beforeAll(async () => {
    const config = {
      redisUrl,
      redisPrefix: prefix,
      trustProxy: 'loopback',
      rateLimits: { windowMs: 60_000, perIp: PER_IP, perKey: PER_KEY, login: LOGINS },
      chat: loadConfig({
        WENDAO_CHAT_RATE_WINDOW_MS: '60000',
        WENDAO_CHAT_CONNECT_RATE_LIMIT: '3',
        WENDAO_CHAT_KEY_RATE_LIMIT: '2',
      }).chat,
    };
    apps.push(await startTestApp({ ...config, demo: true }));
    if (redisUrl) apps.push(await startTestApp({ ...config, databaseUrl: apps[0].databaseUrl }));
    for (const app of apps) urls.push(await listen(app));
    const kbId = (await apps[0].api.get('/api/kbs').set('X-Forwarded-For', '10.9.0.1').expect(200)).body[0]
      .id;
    key = (await apps[0].api.post(`/api/kbs/${kbId}/widget-keys`).set('X-Forwarded-For', '10.9.0.2').send({}))
      .body.key;
    expect(key).toMatch(/^wk_/);
  });

  afterEach(() => {
    for (const c of clients.splice(0)) c.socket.disconnect();
  });

  afterAll(async () => {
    for (const app of apps.slice(1)) await app.stop();
    await apps[0]?.close();
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`*${prefix}*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });

  it('answers 429 with Retry-After and a problem body past the per-IP limit; other IPs and the probes go on', async () => {
    const ip = '198.51.100.1';
    for (let i = 0; i < PER_IP; i++) expect((await get(i, '/api/kbs', ip)).status).not.toBe(429);
    const limited = await get(PER_IP, '/api/kbs', ip);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: `too many requests from your address: at most ${PER_IP} every 60 s; try again in ${retryAfter} s`,
    });
    expect((await get(PER_IP + 1, '/api/kbs', '198.51.100.2')).status).not.toBe(429);
    await get(0, '/health', ip).expect(200);
    await get(1, '/ready', ip).expect(200);
  });

  it('limits a credential (bearer token or session cookie) over every IP it comes from', async () => {
    const bearer = { Authorization: 'Bearer key-one' };
    for (let i = 0; i < PER_KEY; i++)
      expect((await get(i, '/api/kbs', `203.0.113.${i + 1}`, bearer)).status).not.toBe(429);
    const limited = await get(PER_KEY, '/api/kbs', '203.0.113.50', bearer);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.body.message).toMatch(/too many requests from these credentials: at most 4 every 60 s/);
    const other = await get(0, '/api/kbs', '203.0.113.50', { Authorization: 'Bearer key-two' });
    expect(other.status).not.toBe(429);

    const session = { Cookie: 'theme=dark; wendao_session=s%3Aabc' };
    for (let i = 0; i < PER_KEY; i++)
      expect((await get(i, '/api/kbs', `203.0.114.${i + 1}`, session)).status).not.toBe(429);
    expect((await get(PER_KEY, '/api/kbs', '203.0.114.50', session)).status).toBe(429);
  });

  it('limits sign-in attempts per IP, whatever the email', async () => {
    const attempt = (i: number, ip: string) =>
      request(apps[i % apps.length].wendao.app.getHttpServer())
        .post('/api/auth/login')
        .set('X-Forwarded-For', ip)
        .send({ email: `guess-${i}@example.com`, password: 'wrong password' });
    for (let i = 0; i < LOGINS; i++) expect((await attempt(i, '198.51.100.90')).status).toBe(401);
    const limited = await attempt(LOGINS, '198.51.100.90');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.body.message).toMatch(/too many sign-in attempts from your address: at most 3 every 60 s/);
    expect((await attempt(LOGINS + 1, '198.51.100.91')).status).toBe(401);
  });

  it('refuses socket connections past the per-IP limit with a rate_limited connect error', async () => {
    const from = { 'X-Forwarded-For': '192.0.2.10' };
    for (let i = 0; i < 3; i++) clients.push(await connectChat(urls[i % urls.length], { key }, from));
    const refused = await connectChat(urls[3 % urls.length], { key }, from).then(
      () => null,
      (err: Error & { data?: unknown }) => err,
    );
    expect(refused?.message).toMatch(/too many connections from your address: at most 3 every 60 s/);
    expect(refused?.data).toMatchObject({ code: 'rate_limited' });
    clients.push(await connectChat(urls[0], { key }, { 'X-Forwarded-For': '192.0.2.11' }));
  });

  it('limits customer messages per widget key over all its sessions with an error event', async () => {
    const acks = [];
    for (let i = 0; i < 3; i++) {
      const client = await connectChat(
        urls[i % urls.length],
        { key },
        { 'X-Forwarded-For': `192.0.2.${20 + i}` },
      );
      clients.push(client);
      await client.send('session:start', {});
      acks.push(await client.send('message', { clientId: `k-${i}`, text: '你好' }));
    }
    expect(acks.slice(0, 2).every((a) => typeof a.seq === 'number')).toBe(true);
    expect(acks[2].error).toMatchObject({ code: 'rate_limited' });
    expect(acks[2].error.message).toMatch(/too many messages from this widget key: at most 2 every 60 s/);
    expect(await clients[2].waitFor('error')).toMatchObject({ code: 'rate_limited', event: 'message' });
  });
});
