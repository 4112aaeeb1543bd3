/**
 * Replicas started together on a fresh database with the demo on (docker compose up: api-1, api-2
 * and the worker): the demo KB is seeded once, not by each process that found no KB.
 */
import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWendaoApp, type WendaoApp } from '../src/create-app';
import { createTestDatabase, testConfig } from './support/test-app';

describe('demo seeding by processes starting together', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('creates exactly one demo KB when three processes start at once on an empty database', async () => {
    const configs = [1, 2, 3].map(() => testConfig({ demo: true, databaseUrl: database.url }));
    const started = await Promise.allSettled(configs.map((config) => createWendaoApp(config)));
    const apps = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      await Promise.all(apps.map((a: WendaoApp) => a.ready));
      expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual([
        'ok',
        'ok',
        'ok',
      ]);
    } finally {
      for (const a of apps) await a.close();
      for (const c of configs) rmSync(c.dataDir, { recursive: true, force: true });
    }
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT name FROM knowledge_base');
      expect(rows).toEqual([{ name: '演示商城 Demo Shop' }]);
    } finally {
      await db.end();
    }
  });
});
