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
import type { Role } from '../../src/auth/access-rules';
import { AuthRepository } from '../../src/auth/auth.repository';
import { createOwner } from '../../src/auth/first-owner';
import { hashPassword } from '../../src/auth/password';
import { loadConfig, type AppConfig } from '../../src/config/app-config';
import { createWendaoApp, type WendaoApp } from '../../src/create-app';

export const TEST_SERVER_URL =
  process.env.WENDAO_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.WENDAO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The owner of the test organisation, made at the app's first start (WENDAO_OWNER_* path). */
export const TEST_OWNER = {
  email: 'owner@test.wendao',
  password: 'test-owner-password',
  organisation: 'Test organisation',
};

/** A user signed in through POST /api/auth/login: a supertest agent with the cookie and X-CSRF-Token. */
export interface SignedIn {
  api: TestAgent;
  userId: string;
  email: string;
  csrfToken: string;
  /** `wendao_session=…`, for requests made without the agent (raw sockets). */
  cookie: string;
}

export interface TestApp {
  wendao: WendaoApp;
  /** Signed in as the owner of the test organisation (session cookie and CSRF header set). */
  api: TestAgent;
  /** The owner's session behind `api`. */
  owner: SignedIn;
  /** No credentials at all. */
  anonymous: TestAgent;
  /** The test organisation (TEST_OWNER's). */
  organisationId: string;
  /** Logs in as any user. */
  login(email: string, password: string): Promise<SignedIn>;
  /** A new user with `role` in an organisation (the test organisation by default), signed in. */
  userWithRole(role: Role, organisationId?: string): Promise<SignedIn>;
  /** A new organisation and its owner, signed in. */
  newOrganisation(name?: string): Promise<SignedIn & { organisationId: string }>;
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
    auth: { ...loadConfig({}).auth, owner: TEST_OWNER },
    // Every test request comes from 127.0.0.1: the HTTP limits are off unless a test sets them.
    rateLimits: { windowMs: 60_000, perIp: 0, perKey: 0, login: 0 },
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
  const server = wendao.app.getHttpServer();
  const login = (email: string, password: string) => loginAs(server, email, password);
  let owner: SignedIn;
  try {
    // Reached through supertest rather than a port of its own, a test app is as good as listening
    // now: what main's listen() does next (the demo key allows config.port's origins) happens here.
    await wendao.listening();
    owner = await login(TEST_OWNER.email, TEST_OWNER.password);
  } catch (err) {
    await wendao.close();
    await db?.drop();
    throw err;
  }
  const [{ organisationId }] = (await owner.api.get('/api/auth/me').expect(200)).body.memberships;
  let users = 0;
  const password = 'test-user-password';
  const userWithRole = async (role: Role, orgId: string = organisationId) => {
    const email = `${role}-${++users}-${randomBytes(3).toString('hex')}@test.wendao`;
    await wendao.app.get(AuthRepository).transaction(async (tx) => {
      const id = await tx.createUser(email, role, await hashPassword(password));
      await tx.addMembership(orgId, id, role);
    });
    return login(email, password);
  };
  const newOrganisation = async (name = `org ${randomBytes(3).toString('hex')}`) => {
    const email = `owner-${++users}-${randomBytes(3).toString('hex')}@test.wendao`;
    const made = await createOwner(wendao.app.get(AuthRepository), { email, password, organisation: name });
    return { ...(await login(email, password)), organisationId: made.organisationId };
  };
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await wendao.close();
  };
  return {
    wendao,
    api: owner.api,
    owner,
    anonymous: request(server) as unknown as TestAgent,
    organisationId,
    login,
    userWithRole,
    newOrganisation,
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

/** Logs in through the API; the agent then sends the session cookie and the CSRF header. */
export async function loginAs(
  server: Parameters<typeof request.agent>[0],
  email: string,
  password: string,
): Promise<SignedIn> {
  const api = request.agent(server);
  const res = await api.post('/api/auth/login').send({ email, password });
  if (res.status !== 200)
    throw new Error(`login as ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  api.set('X-CSRF-Token', res.body.csrfToken);
  const cookie = String(res.headers['set-cookie']).split(';')[0];
  return { api, userId: res.body.user.id, email, csrfToken: res.body.csrfToken, cookie };
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

let unnamedKbs = 0;

/** Creates a KB; without a name, one of its own ('test kb 3'): an organisation refuses a name twice. */
export async function createKb(
  api: TestAgent,
  name = `test kb ${++unnamedKbs}`,
  language = 'zh',
): Promise<string> {
  const res = await api.post('/api/kbs').send({ name, language }).expect(201);
  return res.body.id as string;
}
