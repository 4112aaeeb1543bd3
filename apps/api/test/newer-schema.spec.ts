/**
 * A server started on a database a newer Wendao has migrated (a rolled-back upgrade, an old replica
 * beside new ones) refuses to start, at once and in its own words, instead of serving 500s.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWendaoApp } from '../src/create-app';
import { migrateAsNewerWendao } from './support/newer-schema';
import { createTestDatabase, testConfig } from './support/test-app';

describe('a database migrated by a newer Wendao', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    await migrateAsNewerWendao(database.url);
  });
  afterAll(async () => database?.drop());

  it('stops the start with the reason, back to the caller (main prints it last), not by exiting', async () => {
    // Nest ended the process itself (process.exit(1) after its ExceptionHandler's stack trace), so
    // create-app's clean-up and main's `wendao: <why>` line never ran.
    const exit = vi.spyOn(process, 'exit').mockImplementation((code) => {
      throw new Error(`process.exit(${String(code)})`);
    });
    const abort = vi.spyOn(process, 'abort').mockImplementation(() => {
      throw new Error('process.abort()');
    });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await expect(createWendaoApp(testConfig({ databaseUrl: database.url }))).rejects.toThrow(
        'the database was migrated by a newer Wendao (migration FromTheFuture1799000000000, which this version does not know)',
      );
      expect(exit).not.toHaveBeenCalled();
      expect(abort).not.toHaveBeenCalled();
    } finally {
      vi.restoreAllMocks();
    }
  });
});
