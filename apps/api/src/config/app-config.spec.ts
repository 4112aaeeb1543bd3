import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './app-config';

describe('loadConfig: models', () => {
  it('takes one model for every KB, or models per KB language, and refuses another language', () => {
    expect(loadConfig({ WENDAO_READER_MODEL: 'readers/medical' }).readerModel).toBe('readers/medical');
    expect(loadConfig({ WENDAO_READER_MODEL: 'en=readers/medical' }).readerModel).toEqual({
      en: 'readers/medical',
    });
    expect(loadConfig({ WENDAO_ENCODER_MODEL: 'zh=BAAI/bge-small-zh-v1.5,en=org/en' }).encoderModel).toEqual({
      zh: 'BAAI/bge-small-zh-v1.5',
      en: 'org/en',
    });
    expect(loadConfig({}).encoderModel).toBeUndefined();
    expect(() => loadConfig({ WENDAO_READER_MODEL: 'fr=camembert' })).toThrow(
      /WENDAO_READER_MODEL: expected a model name, or language=name pairs/,
    );
  });
});

describe('loadConfig: a bad value stops the server naming its variable', () => {
  it('takes a port from 1 to 65535 only', () => {
    expect(loadConfig({}).port).toBe(3000);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
    // One message for every value outside the range, a word included (it said "a non-negative
    // integer", as if 0 were taken).
    for (const bad of ['70000', '0', '-1', '80.5', 'abc', 'http'])
      expect(() => loadConfig({ PORT: bad })).toThrow(
        `PORT must be a port number from 1 to 65535, got "${bad}"`,
      );
  });

  it('takes a PostgreSQL URL for DATABASE_URL, and says what is wrong without repeating the value', () => {
    const url = 'postgres://wendao:secret@db.internal:5432/wendao';
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(loadConfig({ DATABASE_URL: 'postgresql:///wendao?host=/var/run/postgresql' }).databaseUrl).toBe(
      'postgresql:///wendao?host=/var/run/postgresql',
    );
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(() => loadConfig({ DATABASE_URL: 'x' })).toThrow(
      /^DATABASE_URL must be a URL such as postgres:\/\/user:password@host:5432\/db \(the value set does not parse as a URL\)/,
    );
    const mysql = () => loadConfig({ DATABASE_URL: 'mysql://root:hunter2@db/wendao' });
    expect(mysql).toThrow(/^DATABASE_URL .*its scheme is "mysql:", expected postgres: or postgresql:/);
    expect(mysql).not.toThrow(/hunter2/);
  });

  it('takes a redis:// or rediss:// URL with a host for REDIS_URL', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
    expect(loadConfig({ REDIS_URL: 'rediss://:pw@cache.example.com:6380/2' }).redisUrl).toBe(
      'rediss://:pw@cache.example.com:6380/2',
    );
    expect(() => loadConfig({ REDIS_URL: 'notaurl' })).toThrow(
      /^REDIS_URL must be a URL such as redis:\/\/host:6379 \(the value set does not parse as a URL\)/,
    );
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(
      /^REDIS_URL .*scheme is "http:"/,
    );
    expect(() => loadConfig({ REDIS_URL: 'redis:///0' })).toThrow(/^REDIS_URL .*names no host/);
  });

  it('compiles WENDAO_TRUST_PROXY at start: booleans, hop counts, addresses, subnets and names', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ WENDAO_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ WENDAO_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ WENDAO_TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).trustProxy).toBe(
      'loopback, 10.0.0.0/8,::1',
    );
    expect(() => loadConfig({ WENDAO_TRUST_PROXY: 'maybe' })).toThrow(
      /^WENDAO_TRUST_PROXY must be true, false, a hop count or addresses\/subnets\/names .*got "maybe"/,
    );
    expect(() => loadConfig({ WENDAO_TRUST_PROXY: '10.0.0.0/99' })).toThrow(/^WENDAO_TRUST_PROXY/);
  });

  it('refuses parse limits and job timings at 0, which refused every file or re-ran every job', () => {
    // Each was accepted: 0 pages failed every PDF's job, a stale time of 0 took every running job for
    // dead at the next sweep (run again, then failed), a sweep interval of 0 swept without a pause.
    for (const [name, refused] of [
      ['WENDAO_PDF_MAX_PAGES', 'every PDF'],
      ['WENDAO_PDF_MAX_TEXT_CHARS', 'every PDF with text'],
      ['WENDAO_ZIP_MAX_ENTRIES', 'every DOCX and XLSX'],
      ['WENDAO_ZIP_MAX_UNCOMPRESSED_BYTES', 'every DOCX and XLSX'],
      ['WENDAO_ZIP_MAX_RATIO', 'every DOCX and XLSX with an entry over 1 MiB'],
    ])
      expect(() => loadConfig({ [name]: '0' })).toThrow(
        `${name} must be at least 1: 0 would refuse ${refused}`,
      );
    expect(() => loadConfig({ WENDAO_JOB_STALE_MS: '0' })).toThrow(
      'WENDAO_JOB_STALE_MS must be at least 1000: a job still running would be taken for one whose process died',
    );
    expect(() => loadConfig({ WENDAO_JOB_SWEEP_MS: '0' })).toThrow(
      'WENDAO_JOB_SWEEP_MS must be at least 100',
    );
    expect(loadConfig({ WENDAO_JOB_STALE_MS: '1000', WENDAO_ZIP_MAX_NESTING: '0' }).jobs.staleAfterMs).toBe(
      1000,
    );
  });

  it('refuses WENDAO_READER_PASSAGES=0 naming it', () => {
    // It passed, and the start then stopped with 'readerPassages must be a positive integer, got 0'.
    expect(() => loadConfig({ WENDAO_READER_PASSAGES: '0' })).toThrow(
      'WENDAO_READER_PASSAGES must be at least 1: the reader reads that many passages per question',
    );
    expect(loadConfig({ WENDAO_READER_PASSAGES: '3' }).readerPassages).toBe(3);
  });

  it('names both chunk lengths, and which one is the default, when they do not fit together', () => {
    // WENDAO_CHUNK_MAX=100 alone said 'WENDAO_CHUNK_TARGET must be >= 20 and <= WENDAO_CHUNK_MAX'.
    expect(() => loadConfig({ WENDAO_CHUNK_MAX: '100' })).toThrow(
      'WENDAO_CHUNK_MAX (100) must be at least WENDAO_CHUNK_TARGET (300, the default): set both',
    );
    expect(() => loadConfig({ WENDAO_CHUNK_TARGET: '10' })).toThrow(
      'WENDAO_CHUNK_TARGET (10) must be at least 20 characters',
    );
    expect(loadConfig({ WENDAO_CHUNK_MAX: '100', WENDAO_CHUNK_TARGET: '80' }).chunking).toMatchObject({
      targetLength: 80,
      maxLength: 100,
    });
  });
});

describe('loadConfig: logs and metrics', () => {
  it('takes WENDAO_LOG_FORMAT text or json, and NO_COLOR', () => {
    expect(loadConfig({}).logFormat).toBe('text');
    expect(loadConfig({ WENDAO_LOG_FORMAT: 'JSON' }).logFormat).toBe('json');
    expect(() => loadConfig({ WENDAO_LOG_FORMAT: 'logfmt' })).toThrow(
      /^WENDAO_LOG_FORMAT must be one of text, json, got "logfmt"/,
    );
    expect(loadConfig({}).noColor).toBe(false);
    expect(loadConfig({ NO_COLOR: '1' }).noColor).toBe(true);
  });

  it('refuses size limits that would refuse everything: 0 turns none of them off', () => {
    for (const [name, min, refused] of [
      ['WENDAO_UPLOAD_MAX_BYTES', 1, 'every upload'],
      ['WENDAO_UPLOAD_MAX_FILES', 1, 'every upload'],
      ['WENDAO_JSON_MAX_BYTES', 1024, 'logins and every JSON request'],
      ['WENDAO_IMPORT_MAX_BYTES', 1024, 'every KB import'],
      ['WENDAO_MAX_QUESTION_LENGTH', 1, 'every question'],
    ] as const) {
      expect(() => loadConfig({ [name]: '0' }), name).toThrow(
        `${name} must be at least ${min}: 0 would refuse ${refused}`,
      );
      expect(() => loadConfig({ [name]: String(min) }), name).not.toThrow();
    }
    expect(loadConfig({}).uploadMaxBytes).toBe(20 * 1024 * 1024);
    expect(loadConfig({ WENDAO_JSON_MAX_BYTES: '2048' }).jsonMaxBytes).toBe(2048);
  });

  it('takes a metrics token of 16+ characters and a metrics port other than PORT', () => {
    expect(loadConfig({}).metrics).toEqual({ token: undefined });
    expect(loadConfig({ WENDAO_METRICS_TOKEN: 'a'.repeat(16), WENDAO_METRICS_PORT: '9464' }).metrics).toEqual(
      {
        token: 'a'.repeat(16),
        port: 9464,
      },
    );
    expect(() => loadConfig({ WENDAO_METRICS_TOKEN: 'short' })).toThrow(
      /^WENDAO_METRICS_TOKEN must be at least 16/,
    );
    expect(() => loadConfig({ WENDAO_METRICS_TOKEN: 'a'.repeat(10) + ' ' + 'b'.repeat(10) })).toThrow(
      /WENDAO_METRICS_TOKEN/,
    );
    for (const bad of ['70000', '0', 'x'])
      expect(() => loadConfig({ WENDAO_METRICS_PORT: bad })).toThrow(
        `WENDAO_METRICS_PORT must be a port number from 1 to 65535, got "${bad}"`,
      );
    expect(() => loadConfig({ WENDAO_METRICS_PORT: '3000' })).toThrow(/must differ from PORT \(3000\)/);
    // A worker listens on no PORT: its metrics port may be that number.
    expect(
      loadConfig({ WENDAO_METRICS_PORT: '3000', WENDAO_ROLE: 'worker', REDIS_URL: 'redis://r:6379' }).metrics
        .port,
    ).toBe(3000);
  });
});

describe('loadConfig: the built admin console and widget', () => {
  const root = resolve(__dirname, '../../../..');

  it('are found beside the install wherever the server is started from; a path given is taken from the working directory', () => {
    const cwd = process.cwd();
    const elsewhere = mkdtempSync(join(tmpdir(), 'wendao-cwd-'));
    try {
      process.chdir(elsewhere);
      const config = loadConfig({});
      expect(config.adminDir).toBe(join(root, 'dist/admin'));
      expect(config.widgetFile).toBe(join(root, 'apps/widget/dist/widget.js'));
      expect(loadConfig({ WENDAO_ADMIN_DIR: 'web/admin' }).adminDir).toBe(
        join(realpathSync(elsewhere), 'web/admin'),
      );
    } finally {
      process.chdir(cwd);
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('listens on every interface when HOST is empty, as when it is unset', () => {
    expect(loadConfig({ HOST: '' }).host).toBe('0.0.0.0');
    expect(loadConfig({}).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });
});
