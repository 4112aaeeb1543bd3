/**
 * A start checks DATABASE_URL and REDIS_URL once each: main.ts does it before the model pulls (a
 * mistyped URL fails in a second, not after the downloads) and createWendaoApp does not do it again.
 * The built server runs against the machine's PostgreSQL and Redis through counting TCP proxies that
 * see which connections were the start-up check (the check's own `SELECT 1`, `PING`). A
 * WENDAO_DATA_DIR that cannot be a folder is said at once, by its name.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../bench/lib/api-server';
import { builtServerSuite, REPO_ROOT, runUntilExit } from './support/built-api';
import { TEST_REDIS_URL } from './support/test-app';

/** A TCP proxy to host:port that keeps what each client connection sent. */
async function recordingProxy(
  host: string,
  port: number,
): Promise<{ port: number; sent: Buffer[]; close(): Promise<void> }> {
  const sent: Buffer[] = [];
  const server: Server = createServer((client) => {
    const index = sent.push(Buffer.alloc(0)) - 1;
    const upstream = connect(port, host);
    client.on('data', (chunk: Buffer) => (sent[index] = Buffer.concat([sent[index], chunk])));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as AddressInfo).port,
    sent,
    close: () => new Promise((r) => (server.close(() => r()), server.unref())),
  };
}

describe('the start-up connection checks', () => {
  const built = builtServerSuite('connection-checks');

  it('connects once to DATABASE_URL and once to REDIS_URL to check them, model pulls on', async () => {
    const db = new URL(built.databaseUrl);
    const redis = new URL(TEST_REDIS_URL);
    const pg = await recordingProxy(db.hostname, Number(db.port || 5432));
    const rd = await recordingProxy(redis.hostname, Number(redis.port || 6379));
    db.host = `127.0.0.1:${pg.port}`;
    const port = await freePort();
    const child = spawn(process.execPath, [built.main], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(port),
        DATABASE_URL: db.toString(),
        REDIS_URL: `redis://127.0.0.1:${rd.port}`,
        WENDAO_REDIS_PREFIX: `wendao-checks-${process.pid}`,
        // Offline: the pulls only report the missing models, after the check.
        WENDAO_PULL_MODELS: 'true',
        HF_HUB_OFFLINE: 'true',
        WENDAO_DATA_DIR: built.dataDir,
        WENDAO_MODELS_DIR: join(built.dataDir, 'no-models'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await expect.poll(() => output, { timeout: 60_000 }).toMatch(/listening on http:.*\n/);
      // The check's connection: a simple query `SELECT 1` (Q, length 13); the app's pool never sends it
      // before /ready is asked.
      const selectOne = Buffer.from('Q\0\0\0\x0dSELECT 1\0', 'latin1');
      expect(pg.sent.filter((s) => s.includes(selectOne))).toHaveLength(1);
      // And the app did connect through the proxy (its pool, its LISTEN), or the count says nothing.
      expect(pg.sent.length).toBeGreaterThan(1);
      // Redis's check is a PING on a connection of its own (ioredis writes the command in lower case).
      expect(rd.sent.filter((s) => /\r\nping\r\n/i.test(s.toString('latin1')))).toHaveLength(1);
      expect(rd.sent.length).toBeGreaterThan(1);
    } finally {
      child.kill('SIGTERM');
      await exited;
      await pg.close();
      await rd.close();
    }
  }, 120_000);

  /** The built server's exit code and output, started with `env` (no database: an embedded one). */
  const startWith = (env: Record<string, string>) =>
    runUntilExit(built.main, {
      WENDAO_PULL_MODELS: 'false',
      WENDAO_MODELS_DIR: join(built.dataDir, 'no-models'),
      ...env,
    });

  it('stops at once, naming WENDAO_DATA_DIR, when it is a file; as a JSON entry with JSON logs', async () => {
    // An operator's typo (the path of a file); it stopped with a bare "EEXIST: file already exists, mkdir".
    const file = join(built.dataDir, 'not-a-folder');
    writeFileSync(file, '');
    const why = `WENDAO_DATA_DIR: ${file} is a file, not a folder; set WENDAO_DATA_DIR to a folder`;
    const text = await startWith({ WENDAO_DATA_DIR: file });
    expect(text.code).toBe(1);
    expect(text.output).toContain(`wendao: ${why}`);
    // With JSON logs the reason is a JSON entry too, or a collector parsing them drops it.
    const json = await startWith({ WENDAO_DATA_DIR: file, WENDAO_LOG_FORMAT: 'json' });
    expect(json.code).toBe(1);
    const lines = json.output.trim().split('\n');
    expect(JSON.parse(lines[lines.length - 1])).toMatchObject({
      level: 'error',
      context: 'Wendao',
      message: expect.stringContaining(why),
    });
  }, 60_000);
});
