/**
 * /ready tells a load balancer whether this replica can serve: 200 while the database answers and
 * the indexes are loaded, 503 (with what is missing) when the database goes away; /health, the
 * liveness probe, keeps answering 200 so the process is not restarted for a database outage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startTestApp, type TestApp } from './support/test-app';

describe('readiness', () => {
  let t: TestApp;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
    t = await startTestApp({ databaseUrl: db.url });
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
  });

  it('is ready with its database, and answers 503 "starting" once the database is gone', async () => {
    const ready = (await t.api.get('/ready').expect(200)).body;
    expect(ready).toMatchObject({ status: 'ready', database: true, indexes: { ready: true } });

    await db.drop(); // WITH (FORCE): the app's pooled connections are cut
    const down = (await t.api.get('/ready').expect(503)).body;
    expect(down).toMatchObject({ status: 'starting', database: false });
    expect((await t.api.get('/health').expect(200)).body.status).toBe('ok');
  });
});
