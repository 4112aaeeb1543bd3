import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/test-app';
import { loadConfig } from '../config/app-config';
import { connectAndMigrate } from '../database/connect-and-migrate';
import { dataSourceOptions } from '../database/data-source-options';
import { AuthRepository } from './auth.repository';
import { FirstOwnerService } from './first-owner.service';

describe('FirstOwnerService', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const pools: DataSource[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const pool of pools) await pool.destroy();
    await database?.drop();
  });

  it('creates the first owner once when replicas start together on a fresh database', async () => {
    // Each replica found no user and created WENDAO_OWNER_EMAIL's owner; all but one failed their
    // start on the duplicate email.
    const config = loadConfig({
      WENDAO_OWNER_EMAIL: 'owner@shop.example',
      WENDAO_OWNER_PASSWORD: 'a long enough password',
      WENDAO_DEMO: 'false',
    });
    const replicas = await Promise.all(
      [1, 2, 3].map(async () => {
        const pool = await connectAndMigrate(dataSourceOptions(database.url));
        pools.push(pool);
        return new FirstOwnerService(config, new AuthRepository(pool));
      }),
    );
    const started = await Promise.allSettled(replicas.map((r) => r.ensureOwner()));
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual([
      'ok',
      'ok',
      'ok',
    ]);
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT email FROM app_user');
      expect(rows).toEqual([{ email: 'owner@shop.example' }]);
    } finally {
      await db.end();
    }
  });
});
