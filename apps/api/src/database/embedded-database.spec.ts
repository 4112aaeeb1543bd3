import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EmbeddedDatabase } from './embedded-database';

describe('EmbeddedDatabase', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wendao-embedded-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says that its data folder is in use when a server (or another command) runs on it', async () => {
    // `wendao export` while the server runs on the embedded PostgreSQL (docs/operations.md says to
    // stop it first) got PostgreSQL's FATAL about postmaster.pid and its HINT about a postmaster.
    const running = new EmbeddedDatabase(dataDir);
    await running.start();
    try {
      const second = new EmbeddedDatabase(dataDir);
      await expect(second.start()).rejects.toThrow(
        new RegExp(
          `^the embedded PostgreSQL of ${dataDir} is already running \\(PID \\d+\\): a Wendao server or another wendao command is using this data folder\\. Stop it first, or set DATABASE_URL to a PostgreSQL server$`,
        ),
      );
    } finally {
      await running.stop();
    }
    // Stopped, the folder is free again.
    const again = new EmbeddedDatabase(dataDir);
    expect(await again.start()).toMatch(/^postgres:\/\//);
    await again.stop();
  }, 120_000);

  it('says when it has stopped, and where its data stays', async () => {
    // After Ctrl-C the server's log ended on 'SIGINT: shutting down' and nothing more.
    const database = new EmbeddedDatabase(dataDir);
    await database.start();
    const logged: string[] = [];
    const log = vi.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      logged.push(String(message));
    });
    try {
      await database.stop();
      await database.stop(); // a second stop (close after a failed start) has nothing to say
    } finally {
      log.mockRestore();
    }
    expect(logged).toEqual([`embedded PostgreSQL stopped; its data stays in ${join(dataDir, 'pg')}`]);
  }, 120_000);
});
