/**
 * A Nest module that fails to start (here: a database a newer Wendao migrated) is said once, by main's
 * last line, in text and JSON logs alike: Nest's own 'ERROR [ExceptionHandler] …' entry with the stack
 * trace came first, so the first thing a new user saw was a stack trace. At LOG_LEVEL=debug the stack
 * is still logged, before the last line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { builtServerSuite, runUntilExit } from './support/built-api';
import { migrateAsNewerWendao } from './support/newer-schema';

const WHY =
  'the database was migrated by a newer Wendao (migration FromTheFuture1799000000000, which this version does not know)';

describe('a module that fails to start', () => {
  const built = builtServerSuite('module-start-failure');
  beforeAll(async () => {
    await migrateAsNewerWendao(built.databaseUrl);
  });

  const startWith = async (env: Record<string, string>): Promise<{ code: unknown; lines: string[] }> => {
    const { code, output } = await runUntilExit(built.main, {
      DATABASE_URL: built.databaseUrl,
      WENDAO_DATA_DIR: built.dataDir,
      WENDAO_PULL_MODELS: 'false',
      NO_COLOR: '1',
      ...env,
    });
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
