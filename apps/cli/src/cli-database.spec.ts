import { Logger, type LoggerService } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataSourceOptions } from '../../api/src/database/data-source-options';
import { createTestDatabase } from '../../api/test/support/test-app';
import { withDatabase } from './cli-database';

describe('withDatabase (the CLI commands that work on the server database)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  const config = () => ({ url: database.url, dataDir: '/nonexistent', embeddedPgDir: '/nonexistent' });
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(() => Logger.overrideLogger(true));
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

  it('logs each migration it applies, as the server does, and nothing when none is pending', async () => {
    const fresh = await createTestDatabase();
    try {
      const lines: string[] = [];
      Logger.overrideLogger({
        log: (m: unknown, context?: unknown) => lines.push(`${String(context)}: ${String(m)}`),
        warn: () => undefined,
        error: () => undefined,
      } satisfies LoggerService);
      const command = () =>
        withDatabase({ ...config(), url: fresh.url }, async () => ({ output: 'done', exitCode: 0 }));
      // A fresh install migrated by `wendao users create-owner` (or export, import) said nothing of the
      // schema it made, where the server logs a line per migration: the same lines, in the same order.
      const stamp = (name: string) => Number(/\d+$/.exec(name)![0]);
      const names = (dataSourceOptions(fresh.url).migrations as { name: string }[])
        .map((m) => m.name)
        .sort((a, b) => stamp(a) - stamp(b));
      expect(names.length).toBeGreaterThan(10);
      expect(await command()).toEqual({ output: 'done', exitCode: 0 });
      expect(lines).toEqual(names.map((name) => `Database: migration applied: ${name}`));
      lines.length = 0;
      expect(await command()).toEqual({ output: 'done', exitCode: 0 });
      expect(lines).toEqual([]);
    } finally {
      await fresh.drop();
    }
  });
});
