import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../api/test/support/test-app';
import { withDatabase } from './cli-database';

describe('withDatabase (the CLI commands that work on the server database)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const config = () => ({ url: database.url, dataDir: '/nonexistent', embeddedPgDir: '/nonexistent' });
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it('migrates a fresh database before the work and closes the connection after it', async () => {
    let seen: DataSource | undefined;
    const out = await withDatabase(config(), async (db) => {
      seen = db;
      const [{ count }]: { count: number }[] = await db.query(
        "SELECT count(*)::int AS count FROM information_schema.tables WHERE table_name IN ('knowledge_base', 'faq_entry', 'app_user')",
      );
      return { output: `tables ${count}`, exitCode: 0 };
    });
    expect(out).toEqual({ output: 'tables 3', exitCode: 0 });
    expect(seen?.isInitialized).toBe(false);
  });

  it("turns a failure into the command's 'wendao:' line and exit code 1, and still closes", async () => {
    let seen: DataSource | undefined;
    const out = await withDatabase(config(), async (db) => {
      seen = db;
      throw new Error('no such organisation: Acme');
    });
    expect(out).toEqual({ output: 'wendao: no such organisation: Acme', exitCode: 1 });
    expect(seen?.isInitialized).toBe(false);
    const unreachable = await withDatabase(
      { url: 'postgres://postgres@127.0.0.1:1/none', dataDir: '/nonexistent', embeddedPgDir: '/nonexistent' },
      async () => ({ output: 'ran', exitCode: 0 }),
    );
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.output).toMatch(/^wendao: .*ECONNREFUSED/);
  });
});
