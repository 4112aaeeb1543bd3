import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthRepository } from '../../../api/src/auth/auth.repository';
import { verifyPassword } from '../../../api/src/auth/password';
import { createTestDatabase } from '../../../api/test/support/test-app';
import { createOwnerCommand } from './users-create-owner.command';

describe('wendao users create-owner', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const config = () => ({ url: database.url, dataDir: '/nonexistent', embeddedPgDir: '/nonexistent' });
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it('migrates a fresh database and creates the owner with the password from stdin, hashed with argon2id', async () => {
    const out = await createOwnerCommand(
      { email: 'boss@shop.example', organisation: 'Shop', passwordStdin: true },
      config(),
      Readable.from(['correct horse battery\n']),
    );
    expect(out).toMatchObject({ exitCode: 0 });
    expect(out.output).toMatch(/created owner boss@shop.example of organisation "Shop"/);
    const db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    try {
      const repo = new AuthRepository(db);
      const user = await repo.userByEmail('boss@shop.example');
      expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(await verifyPassword(user!.passwordHash, 'correct horse battery')).toBe(true);
      expect(await repo.memberships(user!.id)).toMatchObject([{ organisationName: 'Shop', role: 'owner' }]);
    } finally {
      await db.destroy();
    }
  });

  it('refuses a second user with the same email, a short password and a missing one, with exit codes', async () => {
    const again = await createOwnerCommand(
      { email: 'BOSS@shop.example', organisation: 'Shop', password: 'another password' },
      config(),
    );
    expect(again).toEqual({
      exitCode: 1,
      output: 'wendao: a user with the email BOSS@shop.example already exists',
    });
    const short = await createOwnerCommand(
      { email: 'x@shop.example', organisation: 'Shop', password: 'short' },
      config(),
    );
    expect(short).toMatchObject({ exitCode: 1, output: expect.stringMatching(/at least 8 characters/) });
    const none = await createOwnerCommand({ email: 'x@shop.example', organisation: 'Shop' }, config());
    expect(none.exitCode).toBe(2);
    const both = await createOwnerCommand(
      { email: 'x@shop.example', organisation: 'Shop', password: 'long enough', passwordStdin: true },
      config(),
    );
    expect(both.exitCode).toBe(2);
  });

  it('names DATABASE_URL (not its password) when no PostgreSQL answers there', async () => {
    const out = await createOwnerCommand(
      { email: 'x@shop.example', organisation: 'Shop', password: 'long enough' },
      {
        url: 'postgres://wendao:s3cret@127.0.0.1:1/shop',
        dataDir: '/nonexistent',
        embeddedPgDir: '/nonexistent',
      },
    );
    expect(out.exitCode).toBe(1);
    expect(out.output).toMatch(
      /^wendao: DATABASE_URL: PostgreSQL at 127\.0\.0\.1:1\/shop does not answer \(.*ECONNREFUSED.*\); start it, or fix or unset DATABASE_URL$/,
    );
    expect(out.output).not.toContain('s3cret');
  });
});
