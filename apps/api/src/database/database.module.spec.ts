import { Logger, type LoggerService } from '@nestjs/common';
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
});
