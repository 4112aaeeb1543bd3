import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
});
