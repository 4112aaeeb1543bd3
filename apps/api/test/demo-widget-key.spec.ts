/**
 * The demo widget key in a deployment of several processes on one empty database: a worker
 * (WENDAO_ROLE=worker, PORT left at 3000) and API replicas on 3101 and 3102. The worker may seed the
 * demo KB but makes no key; each API process has the key allow its own origin (at start and when
 * /demo is served), so /demo works on every replica; an admin's key on the demo KB is left alone.
 */
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_REDIS_URL, type TestApp } from './support/test-app';

interface Key {
  id: string;
  key: string;
  name: string | null;
  allowedOrigins: string[];
  revokedAt: string | null;
}

const here = (port: number) => [
  `http://localhost:${port}`,
  `http://127.0.0.1:${port}`,
  `http://[::1]:${port}`,
];

describe('the demo widget key with a worker and API replicas on other ports', () => {
  const prefix = `wendao-test-${randomBytes(4).toString('hex')}`;
  const apps: TestApp[] = [];
  const start = async (role: 'worker' | 'api', port: number, databaseUrl?: string) => {
    const app = await startTestApp({
      role,
      port,
      demo: true,
      redisUrl: TEST_REDIS_URL,
      redisPrefix: prefix,
      ...(databaseUrl ? { databaseUrl } : {}),
    });
    apps.push(app);
    return app;
  };
  afterAll(async () => {
    for (const app of apps.slice(1).reverse()) await app.stop();
    await apps[0]?.close();
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('is made and widened by the API processes that serve /demo, never for the worker', async () => {
    // The worker wins the race to the empty database: it seeds the demo KB, and makes no key.
    const worker = await start('worker', 3000);
    const [kb] = (await worker.api.get('/api/kbs').expect(200)).body as { id: string }[];
    const keys = async (app: TestApp) =>
      (await app.api.get(`/api/kbs/${kb.id}/widget-keys`).expect(200)).body as Key[];
    expect(await keys(worker)).toEqual([]);

    const a = await start('api', 3101, worker.databaseUrl);
    const [demoKey] = await keys(a);
    expect(demoKey).toMatchObject({ name: 'Demo page (/demo)', allowedOrigins: here(3101) });
    // An admin's own key on the demo KB.
    const shop = (
      await a.api
        .post(`/api/kbs/${kb.id}/widget-keys`)
        .send({ name: 'Shop', allowedOrigins: ['https://shop.example.com'] })
        .expect(201)
    ).body as Key;

    // A second replica on another port (or a restart on a new PORT): its start adds its origins.
    const b = await start('api', 3102, worker.databaseUrl);
    const embedded = /data-key="(wk_[^"]+)"/.exec((await b.anonymous.get('/demo').expect(200)).text)![1];
    expect(embedded).toBe(demoKey.key);
    const after = await keys(b);
    expect(after.find((k) => k.id === demoKey.id)!.allowedOrigins).toEqual([...here(3101), ...here(3102)]);
    expect(after.find((k) => k.id === shop.id)!.allowedOrigins).toEqual(['https://shop.example.com']);
    expect(after).toHaveLength(2);
  });

  it('has /demo add its missing origins too, not only the start', async () => {
    const b = apps[2];
    const [kb] = (await b.api.get('/api/kbs').expect(200)).body as { id: string }[];
    const [demoKey] = (await b.api.get(`/api/kbs/${kb.id}/widget-keys`).expect(200)).body as Key[];
    // An admin narrows the demo key to the first replica; the second one's /demo puts its origins back.
    await b.api
      .patch(`/api/kbs/${kb.id}/widget-keys/${demoKey.id}`)
      .send({ allowedOrigins: here(3101) })
      .expect(200);
    await b.anonymous.get('/demo').expect(200);
    const [widened] = (await b.api.get(`/api/kbs/${kb.id}/widget-keys`).expect(200)).body as Key[];
    expect(widened.allowedOrigins).toEqual([...here(3101), ...here(3102)]);
  });
});
