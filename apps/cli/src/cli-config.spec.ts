import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
