import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../api/test/support/test-app';
import { loadCliConfig } from './cli-config';
import { buildProgram, run } from './main';

describe('loadCliConfig', () => {
  it('defaults to ./models, the shared datasets, onnxruntime threads, int8 and the packed layout', () => {
    expect(loadCliConfig({})).toEqual({
      modelsDir: 'models',
      modelsDirSet: false,
      datasetsDir: undefined,
      onnxThreads: 0,
      preferInt8: true,
      packedLayout: true,
      hub: { endpoint: undefined, token: undefined, catalogFile: undefined },
      database: { url: undefined, dataDir: resolve('data'), embeddedPgDir: '/var/lib/wendao' },
      logging: { logLevel: 'log', logFormat: 'text', noColor: false },
    });
    // An empty variable counts as unset, as in the API's loadConfig.
    expect(loadCliConfig({ WENDAO_MODELS_DIR: '', WENDAO_ONNX_THREADS: '' })).toMatchObject({
      modelsDir: 'models',
      modelsDirSet: false,
      onnxThreads: 0,
    });
  });

  it('reads each variable', () => {
    const config = loadCliConfig({
      WENDAO_MODELS_DIR: '/srv/models',
      WENDAO_DATASETS_DIR: '/srv/datasets',
      WENDAO_ONNX_THREADS: '4',
      WENDAO_PREFER_INT8: 'false',
      WENDAO_PACKED_LAYOUT: 'off',
      HF_ENDPOINT: 'http://127.0.0.1:8080',
      HF_TOKEN: 'hf_secret',
      WENDAO_MODELS_CATALOG: 'catalog.json',
      DATABASE_URL: 'postgres://db/wendao',
      WENDAO_DATA_DIR: '/srv/data',
      WENDAO_EMBEDDED_PG_DIR: '/srv/pg',
      LOG_LEVEL: 'warn',
      WENDAO_LOG_FORMAT: 'JSON',
      NO_COLOR: '1',
    });
    expect(config).toEqual({
      modelsDir: '/srv/models',
      modelsDirSet: true,
      datasetsDir: '/srv/datasets',
      onnxThreads: 4,
      preferInt8: false,
      packedLayout: false,
      hub: { endpoint: 'http://127.0.0.1:8080', token: 'hf_secret', catalogFile: 'catalog.json' },
      database: { url: 'postgres://db/wendao', dataDir: '/srv/data', embeddedPgDir: '/srv/pg' },
      logging: { logLevel: 'warn', logFormat: 'json', noColor: true },
    });
  });

  it('refuses a bad value, naming the variable and the value', () => {
    expect(() => loadCliConfig({ WENDAO_ONNX_THREADS: 'four' })).toThrow(
      'WENDAO_ONNX_THREADS must be a non-negative integer, got "four"',
    );
    expect(() => loadCliConfig({ WENDAO_ONNX_THREADS: '-1' })).toThrow(/WENDAO_ONNX_THREADS/);
    expect(() => loadCliConfig({ WENDAO_PREFER_INT8: 'maybe' })).toThrow(
      'WENDAO_PREFER_INT8 must be true or false, got "maybe"',
    );
    expect(() => loadCliConfig({ WENDAO_PACKED_LAYOUT: '2' })).toThrow(
      /WENDAO_PACKED_LAYOUT must be true or false/,
    );
    expect(() => loadCliConfig({ HF_ENDPOINT: 'huggingface.co' })).toThrow(
      'HF_ENDPOINT must be an http(s) URL, got "huggingface.co"',
    );
    expect(() => loadCliConfig({ HF_ENDPOINT: 'ftp://mirror' })).toThrow(
      /HF_ENDPOINT must be an http\(s\) URL/,
    );
    expect(() => loadCliConfig({ DATABASE_URL: 'db:5432/wendao' })).toThrow(
      /^DATABASE_URL must be a URL such as postgres:\/\/user:password@host:5432\/db/,
    );
    expect(() => loadCliConfig({ DATABASE_URL: 'not a url' })).toThrow(
      'DATABASE_URL must be a URL such as postgres://user:password@host:5432/db (the value set does not parse as a URL)',
    );
    expect(() => loadCliConfig({ LOG_LEVEL: 'info' })).toThrow(
      'LOG_LEVEL must be one of error, warn, log, debug, verbose, got "info"',
    );
    expect(() => loadCliConfig({ WENDAO_LOG_FORMAT: 'xml' })).toThrow(/^WENDAO_LOG_FORMAT must be one of/);
    // PostgreSQL's own socket form, with no host, is a URL the server takes too.
    expect(loadCliConfig({ DATABASE_URL: 'postgres:///wendao?host=/var/run/postgresql' }).database.url).toBe(
      'postgres:///wendao?host=/var/run/postgresql',
    );
  });
});

describe('the wendao program', () => {
  it('registers every command with the config', () => {
    const names = buildProgram(loadCliConfig({}))
      .commands.map((c) => c.name())
      .sort();
    expect(names).toEqual(['ask', 'eval', 'export', 'import', 'models', 'search', 'users']);
  });

  it('stops with the message and exit code 1 when a variable is bad, before any command runs', async () => {
    const errors: string[] = [];
    const original = console.error;
    const exitCode = process.exitCode;
    console.error = (line: string) => errors.push(line);
    try {
      await run(['node', 'wendao', 'models', 'list'], { WENDAO_ONNX_THREADS: 'x' });
      expect(errors).toEqual(['wendao: WENDAO_ONNX_THREADS must be a non-negative integer, got "x"']);
      expect(process.exitCode).toBe(1);
    } finally {
      console.error = original;
      process.exitCode = exitCode;
    }
  });

  it('refuses a malformed DATABASE_URL as the server does, before a database command opens anything', async () => {
    const errors: string[] = [];
    const original = console.error;
    const exitCode = process.exitCode;
    console.error = (line: string) => errors.push(line);
    try {
      const createOwner = ['node', 'wendao', 'users', 'create-owner', '--email', 'a@b.example'];
      await run([...createOwner, '--organisation', 'Shop', '--password', 'long enough'], {
        DATABASE_URL: 'mysql://wendao:s3cret@db:3306/wendao',
        WENDAO_DATA_DIR: '/nonexistent',
      });
      expect(process.exitCode).toBe(1);
      expect(errors).toEqual([
        'wendao: DATABASE_URL must be a URL such as postgres://user:password@host:5432/db (its scheme is "mysql:", expected postgres: or postgresql:)',
      ]);
      // The value may hold a password: the message never repeats it.
      expect(errors.join('\n')).not.toContain('s3cret');
    } finally {
      console.error = original;
      process.exitCode = exitCode;
    }
  });

  describe('its log lines', () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    beforeAll(async () => (database = await createTestDatabase()));
    afterAll(async () => {
      Logger.overrideLogger(true);
      await database?.drop();
    });

    /** Runs `wendao` with `env`; what it wrote to stdout (this test's stdout is not a terminal). */
    async function stdoutOf(argv: string[], env: NodeJS.ProcessEnv): Promise<string> {
      let written = '';
      const write = process.stdout.write.bind(process.stdout);
      const exitCode = process.exitCode;
      process.stdout.write = ((chunk: string | Uint8Array) => (
        (written += String(chunk)),
        true
      )) as typeof write;
      try {
        await run(['node', 'wendao', ...argv], env);
        expect(process.exitCode ?? 0).toBe(0);
      } finally {
        process.stdout.write = write;
        process.exitCode = exitCode;
      }
      return written;
    }

    it('logs as the server does: plain in a pipe, as JSON with WENDAO_LOG_FORMAT=json, at LOG_LEVEL', async () => {
      const owner = (email: string) => ['users', 'create-owner', '--email', email, '--organisation', 'Shop'];
      // The migrations of a fresh database, through a pipe: Nest's default logger coloured them.
      const text = await stdoutOf([...owner('one@shop.example'), '--password', 'long enough'], {
        DATABASE_URL: database.url,
      });
      expect(text).toMatch(/ LOG \[Database\] migration applied: InitialSchema1764000000000\n/);
      expect(text).not.toContain('\x1b[');
      // WENDAO_LOG_FORMAT=json and LOG_LEVEL hold for the CLI too (on fresh databases: the migrations
      // are what it logs).
      for (const [env, expected] of [
        [{ WENDAO_LOG_FORMAT: 'json' }, 'json'],
        [{ LOG_LEVEL: 'warn' }, 'nothing'],
      ] as const) {
        const fresh = await createTestDatabase();
        try {
          const out = await stdoutOf([...owner(`${expected}@shop.example`), '--password', 'long enough'], {
            DATABASE_URL: fresh.url,
            ...env,
          });
          if (expected === 'nothing') expect(out).toBe('');
          else
            expect(JSON.parse(out.split('\n')[0])).toMatchObject({
              level: 'log',
              context: 'Database',
              message: 'migration applied: InitialSchema1764000000000',
            });
        } finally {
          await fresh.drop();
        }
      }
    });
  });
});
