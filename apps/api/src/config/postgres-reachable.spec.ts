import { describe, expect, it } from 'vitest';
import { assertPostgresReachable } from './postgres-reachable';

const TEST_DATABASE_URL = process.env.WENDAO_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('assertPostgresReachable', () => {
  it('passes for the test database', async () => {
    await expect(assertPostgresReachable(TEST_DATABASE_URL)).resolves.toBeUndefined();
  });

  it('names DATABASE_URL and where it points (never the password) when nothing answers there', async () => {
    const err = await assertPostgresReachable('postgres://wendao:s3cret@127.0.0.1:1/shop').catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(
      /^DATABASE_URL: PostgreSQL at 127\.0\.0\.1:1\/shop does not answer \(.*ECONNREFUSED.*\); start it, or fix or unset DATABASE_URL$/,
    );
    expect((err as Error).message).not.toContain('s3cret');
  });

  it('says the server refused when the database does not exist', async () => {
    const u = new URL(TEST_DATABASE_URL);
    u.pathname = '/wendao_no_such_database';
    u.password = 's3cret';
    const err = await assertPostgresReachable(u.toString()).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(
      /^DATABASE_URL: PostgreSQL at .+\/wendao_no_such_database refused the connection \(database "wendao_no_such_database" does not exist\)/,
    );
    expect((err as Error).message).not.toContain('s3cret');
  });
});
