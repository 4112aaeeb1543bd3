/**
 * Boots the real API for integration tests: a fresh database on the machine's PostgreSQL
 * (dropped afterwards), a temp data dir, no demo unless asked, lexical mode unless models given.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { createWendaoApp, type WendaoApp } from '../../src/create-app';

export const TEST_SERVER_URL =
  process.env.WENDAO_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.WENDAO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface TestApp {
  wendao: WendaoApp;
  api: TestAgent;
  config: AppConfig;
  databaseUrl: string;
  /** Stops the app but keeps the database and data dir (to start another app on them). */
  stop(): Promise<void>;
  /** Stops the app and removes its database and data dir. */
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(sql: string): Promise<T> {
  const client = new Client({ connectionString: TEST_SERVER_URL });
  await client.connect();
  try {
    return (await client.query(sql)) as T;
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `wendao_test_${randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  return {
    url: withDatabase(TEST_SERVER_URL, name),
    drop: async () => void (await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'wendao-api-'));
  return {
    ...loadConfig({}),
    dataDir,
    modelsDir: join(dataDir, 'no-models'),
    demo: false,
    logLevel: 'error',
    // Every test request comes from 127.0.0.1: the HTTP limits are off unless a test sets them.
    rateLimits: { windowMs: 60_000, perIp: 0, perKey: 0 },
    ...overrides,
  };
}

/** Starts an app on `config` (a new test database unless config.databaseUrl is given). */
export async function startTestApp(overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const db = overrides.databaseUrl ? undefined : await createTestDatabase();
  const config = testConfig({ ...overrides, databaseUrl: overrides.databaseUrl ?? db!.url });
  let wendao: WendaoApp;
  try {
    wendao = await createWendaoApp(config);
  } catch (err) {
    await db?.drop();
    throw err;
  }
  await wendao.ready;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await wendao.close();
  };
  return {
    wendao,
    api: request(wendao.app.getHttpServer()),
    config,
    databaseUrl: config.databaseUrl!,
    stop,
    close: async () => {
      await stop();
      await db?.drop();
      if (!overrides.dataDir) rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

/** A job as GET /api/jobs/:id returns it (loosely typed: tests read what they check). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JobBody = Record<string, any>;

/** Polls a job until it leaves queued/running. */
export async function waitForJob(api: TestAgent, jobId: string, timeoutMs = 30_000): Promise<JobBody> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await api.get(`/api/jobs/${jobId}`).expect(200);
    if (res.body.status === 'succeeded' || res.body.status === 'failed') return res.body;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Uploads files into a KB and waits for every job; returns the finished jobs. */
export async function uploadAndWait(
  api: TestAgent,
  kbId: string,
  files: { name: string; content: Buffer | string; type?: string }[],
): Promise<JobBody[]> {
  let req = api.post(`/api/kbs/${kbId}/documents`);
  for (const f of files)
    req = req.attach('files', Buffer.isBuffer(f.content) ? f.content : Buffer.from(f.content), {
      filename: f.name,
      contentType: f.type ?? 'application/octet-stream',
    });
  const res = await req;
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(res.body)}`);
  return Promise.all((res.body.jobs as { id: string }[]).map((j) => waitForJob(api, j.id)));
}

export async function createKb(api: TestAgent, name = 'test kb', language = 'zh'): Promise<string> {
  const res = await api.post('/api/kbs').send({ name, language }).expect(201);
  return res.body.id as string;
}
