/**
 * A Nest module that fails to start (here: a database a newer Wendao migrated) is said once, by main's
 * last line, in text and JSON logs alike: Nest's own 'ERROR [ExceptionHandler] …' entry with the stack
 * trace came first, so the first thing a new user saw was a stack trace. At LOG_LEVEL=debug the stack
 * is still logged, before the last line.
 */
import { spawn } from 'node:child_process';
import { Client } from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../bench/lib/api-server';
import { connectAndMigrate } from '../src/database/connect-and-migrate';
import { dataSourceOptions } from '../src/database/data-source-options';
import { builtServerSuite, REPO_ROOT } from './support/built-api';

const WHY =
  'the database was migrated by a newer Wendao (migration FromTheFuture1799000000000, which this version does not know)';

describe('a module that fails to start', () => {
  const built = builtServerSuite('module-start-failure');
  beforeAll(async () => {
    await (await connectAndMigrate(dataSourceOptions(built.databaseUrl))).destroy();
    const client = new Client({ connectionString: built.databaseUrl });
    await client.connect();
    await client.query(
      `INSERT INTO migrations (timestamp, name) VALUES (1799000000000, 'FromTheFuture1799000000000')`,
    );
    await client.end();
  });

  const startWith = async (env: Record<string, string>): Promise<{ code: unknown; lines: string[] }> => {
    const child = spawn(process.execPath, [built.main], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: String(await freePort()),
        DATABASE_URL: built.databaseUrl,
        WENDAO_DATA_DIR: built.dataDir,
        WENDAO_PULL_MODELS: 'false',
        NO_COLOR: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    return { code, lines: output.trim().split('\n') };
  };

  it('says why in one line, last, with no stack trace and no ERROR entry of Nest before it', async () => {
    const { code, lines } = await startWith({});
    expect(code).toBe(1);
    expect(lines[lines.length - 1]).toContain(`wendao: ${WHY}`);
    expect(lines.filter((l) => l.includes('newer Wendao'))).toHaveLength(1);
    expect(lines.filter((l) => /ERROR|ExceptionHandler|^\s+at /.test(l))).toEqual([]);
  }, 60_000);

  it('logs the stack trace at LOG_LEVEL=debug, before the last line', async () => {
    const { code, lines } = await startWith({ LOG_LEVEL: 'debug' });
    expect(code).toBe(1);
    expect(lines[lines.length - 1]).toContain(`wendao: ${WHY}`);
    expect(lines.some((l) => /^\s+at refuseNewerSchema /.test(l))).toBe(true);
    expect(lines.filter((l) => /ERROR|ExceptionHandler/.test(l))).toEqual([]);
  }, 60_000);

  it('is one error entry with JSON logs', async () => {
    const { code, lines } = await startWith({ WENDAO_LOG_FORMAT: 'json' });
    expect(code).toBe(1);
    const entries = lines.map((l) => JSON.parse(l) as { level: string; message: string; context?: string });
    expect(entries.filter((e) => e.level === 'error')).toEqual([
      expect.objectContaining({ context: 'Wendao', message: expect.stringContaining(WHY) }),
    ]);
    expect(entries[entries.length - 1].message).toContain(WHY);
  }, 60_000);
});
