import { Logger, type LoggerService } from '@nestjs/common';
import { Client } from 'pg';
import { Test } from '@nestjs/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/test-app';
import { dataSourceOptions } from './data-source-options';
import { DatabaseModule } from './database.module';

/** Builds and closes the module on `url`; the Database lines it logged. */
async function start(url: string): Promise<string[]> {
  const lines: string[] = [];
  const capture: LoggerService = {
    log: (m: unknown, context?: unknown) => lines.push(`${String(context)}: ${String(m)}`),
    warn: () => undefined,
    error: () => undefined,
  };
  const moduleRef = await Test.createTestingModule({ imports: [DatabaseModule.forRoot(url)] })
    .setLogger(capture)
    .compile();
  await moduleRef.close();
  return lines.filter((l) => l.startsWith('Database: '));
}

describe('DatabaseModule at start', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => (db = await createTestDatabase()));
  afterEach(() => Logger.overrideLogger(true));
  afterAll(async () => db?.drop());

  it('logs each migration it applies, and nothing when none is pending', async () => {
    // A fresh database: every migration, in the order TypeORM runs them (their timestamps), one line
    // each (they ran without a word before).
    const stamp = (name: string) => Number(/\d+$/.exec(name)![0]);
    const names = (dataSourceOptions(db.url).migrations as { name: string }[])
      .map((m) => m.name)
      .sort((a, b) => stamp(a) - stamp(b));
    expect(names.length).toBeGreaterThan(10);
    expect(await start(db.url)).toEqual(names.map((name) => `Database: migration applied: ${name}`));
    // The next start finds them all applied: no line at all.
    expect(await start(db.url)).toEqual([]);
  });

  it('refuses at once a database a newer Wendao migrated', async () => {
    // An old replica (or a rolled-back upgrade) started on a schema whose columns a later migration
    // had dropped, and answered 500 to the document list; TypeORM would also retry a failed start 9
    // times, 3 s apart, each logging "Unable to connect to the database".
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO migrations (timestamp, name) VALUES (1799000000000, 'FromTheFuture1799000000000')`,
      );
      const errors: string[] = [];
      const capture: LoggerService = {
        log: () => undefined,
        warn: () => undefined,
        error: (m: unknown) => errors.push(String(m)),
      };
      await expect(
        Test.createTestingModule({ imports: [DatabaseModule.forRoot(db.url)] })
          .setLogger(capture)
          .compile(),
      ).rejects.toThrow(
        'the database was migrated by a newer Wendao (migration FromTheFuture1799000000000, which this version does not know): ' +
          'run that version or a later one, or restore the backup taken before the upgrade',
      );
      expect(errors.filter((e) => e.includes('Unable to connect'))).toEqual([]);
    } finally {
      await client.query(`DELETE FROM migrations WHERE name = 'FromTheFuture1799000000000'`);
      await client.end();
    }
    expect(await start(db.url)).toEqual([]);
  });
});
