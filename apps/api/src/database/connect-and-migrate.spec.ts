import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/test-app';
import { connectAndMigrate } from './connect-and-migrate';
import { dataSourceOptions } from './data-source-options';

describe('connectAndMigrate', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('lets processes that start at once on an empty database (replicas, a worker) each come up', async () => {
    // docker compose up starts api-1, api-2 and the worker together on a fresh PostgreSQL: each
    // applied the same migrations in its own transaction, and all but one failed on
    // "relation already exists" (restarted by Docker, or not at all elsewhere).
    const started = await Promise.allSettled(
      [1, 2, 3].map(() => connectAndMigrate(dataSourceOptions(database.url))),
    );
    for (const s of started) if (s.status === 'fulfilled') await s.value.destroy();
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual([
      'ok',
      'ok',
      'ok',
    ]);
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const { rows } = await db.query(
        'SELECT name, count(*)::int AS n FROM migrations GROUP BY name HAVING count(*) > 1',
      );
      expect(rows).toEqual([]);
    } finally {
      await db.end();
    }
  });
});
