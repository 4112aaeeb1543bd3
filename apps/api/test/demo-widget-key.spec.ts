/**
 * The demo widget key in a deployment of several processes on one empty database: a worker
 * (WENDAO_ROLE=worker, PORT left at 3000) and API replicas on 3101 and 3102. The worker may seed the
 * demo KB but makes no key; each API process has the key allow its own origin (at start and when
 * /demo is served), so /demo works on every replica, until an admin edits the key's origins: from
 * then on they stay as the admin set them, and /demo's script compares them with the page's origin. An admin's own key on the demo KB is left alone.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { afterAll, describe, expect, it } from 'vitest';
import { createWendaoApp } from '../src/create-app';
import { listen } from '../src/listen';
import { startTestApp, testConfig, TEST_REDIS_URL, type TestApp } from './support/test-app';

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
    const [, a] = apps;
    const [kb] = (await a.api.get('/api/kbs').expect(200)).body as { id: string }[];
    // The key as only the replicas set it: a replica's /demo adds what a restart elsewhere lacks.
    await a.wendao.app
      .get(DataSource)
      .query(`UPDATE widget_key SET allowed_origins = $1 WHERE kb_id = $2`, [here(3102), kb.id]);
    await a.anonymous.get('/demo').expect(200);
    const [widened] = (await a.api.get(`/api/kbs/${kb.id}/widget-keys`).expect(200)).body as Key[];
    expect(widened.allowedOrigins).toEqual([...here(3102), ...here(3101)]);
  });

  it("never undoes an admin's edit of the demo key's origins: /demo and a replica's start leave them, and the page says so", async () => {
    const [, a, b] = apps;
    const [kb] = (await b.api.get('/api/kbs').expect(200)).body as { id: string }[];
    const keys = async (app: TestApp) =>
      (await app.api.get(`/api/kbs/${kb.id}/widget-keys`).expect(200)).body as Key[];
    const [demoKey] = await keys(b);
    // An admin narrows the demo key to the first replica.
    await b.api
      .patch(`/api/kbs/${kb.id}/widget-keys/${demoKey.id}`)
      .send({ allowedOrigins: here(3101) })
      .expect(200);

    // The page's own script says when the key leaves its origin out (the origin its browser is on:
    // apps/widget/e2e/demo-origin.e2e.spec.ts), from the key's origins in the page; the Host header
    // the server saw says nothing.
    const page = (await b.anonymous.get('/demo?lang=en').set('Host', '127.0.0.1:3102').expect(200)).text;
    expect(/data-key="(wk_[^"]+)"/.exec(page)![1]).toBe(demoKey.key);
    expect(page).toContain(`var allowed = ${JSON.stringify(here(3101))};`);
    expect(page).toContain('The chat on this page will not connect: the widget key “Demo page (/demo)”');
    expect(page).not.toContain('127.0.0.1:3102');
    // A replica starting on yet another port does not widen it either.
    const c = await start('api', 3103, a.databaseUrl);
    await c.anonymous.get('/demo').expect(200);
    expect((await keys(c)).find((k) => k.id === demoKey.id)!.allowedOrigins).toEqual(here(3101));

    // The admin's edit is the key's last entry in the audit log.
    const log = (
      await b.api.get(`/api/organisations/${b.organisationId}/audit-log?kbId=${kb.id}`).expect(200)
    ).body as { action: string; targetId: string; after: { allowedOrigins: string[] } }[];
    expect(log.find((e) => e.targetId === demoKey.id)).toMatchObject({
      action: 'PATCH /api/kbs/:id/widget-keys/:keyId',
      after: { allowedOrigins: here(3101) },
    });
  });
});

describe('the demo widget key and a start that fails', () => {
  it('is widened for a new port only once the server listens there: a start on a taken port leaves it as it was', async () => {
    const first = await startTestApp({ port: 3201, demo: true });
    // Another program holds the port the second start asks for.
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const config = testConfig({ port, host: '127.0.0.1', demo: true, databaseUrl: first.databaseUrl });
    try {
      const [kb] = (await first.api.get('/api/kbs').expect(200)).body as { id: string }[];
      const keys = async () =>
        (await first.api.get(`/api/kbs/${kb.id}/widget-keys`).expect(200)).body as Key[];
      const before = await keys();
      expect(before.map((k) => k.allowedOrigins)).toEqual([here(3201)]);

      const failed = await createWendaoApp(config);
      await failed.ready;
      await expect(listen(failed)).rejects.toThrow(`port ${port} on 127.0.0.1 is already in use`);
      expect(await keys()).toEqual(before);

      // The port free again, the next start listens, and then allows its origins.
      await new Promise<void>((resolve) => taken.close(() => resolve()));
      const started = await createWendaoApp(config);
      try {
        await listen(started);
        expect((await keys()).map((k) => k.allowedOrigins)).toEqual([[...here(3201), ...here(port)]]);
      } finally {
        await started.close();
      }
    } finally {
      if (taken.listening) taken.close();
      await first.close();
      rmSync(config.dataDir, { recursive: true, force: true });
    }
  });
});
