import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

  it('tells the demo owner where to log in, and what to do when the printed password is lost', async () => {
    // A new user's `npm start`: the line pointed at POST /api/auth/login only, and once it had scrolled
    // away (it is printed once) nothing said how to get in again.
    const fresh = await createTestDatabase();
    const pool = await connectAndMigrate(dataSourceOptions(fresh.url));
    const warned: string[] = [];
    const warn = vi.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warned.push(String(message));
    });
    try {
      const config = loadConfig({ PORT: '3456', WENDAO_DEMO: 'true' });
      await new FirstOwnerService(config, new AuthRepository(pool)).ensureOwner();
    } finally {
      warn.mockRestore();
      await pool.destroy();
      await fresh.drop();
    }
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(
      /^no user existed: created the demo owner\. Log in with email demo@wendao\.local and password \S+ at the admin console http:\/\/localhost:3456\/admin /,
    );
    expect(warned[0]).toContain(
      'Lost it? Stop the server and run `npx wendao users create-owner --email you@example.com --organisation Demo --password-stdin`',
    );
  });
});
