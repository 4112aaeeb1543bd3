/**
 * Crash safety: the server process is killed with SIGKILL while it ingests a large upload. The
 * document, its passages, the job's success and the new KB version are one transaction, so the
 * database holds either all of the document or none of it; on restart the job (left `running`) goes
 * back to the queue within its attempt cap and is ingested once, and what the KB held before is
 * still answered. The current sources are built with swc into a git-ignored folder and run as a
 * child process, as in scale-out.spec.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../bench/lib/api-server';
import { buildApi, REPO_ROOT } from './support/built-api';
import { createTestDatabase } from './support/test-app';

const OWNER = { email: 'owner@crash.wendao', password: 'crash-owner-password' };

/** A policy text of ~2.5 MB: every clause names its own item number and warranty days. */
function bigPolicy(): string {
  const lines: string[] = ['# 商品保修明细', ''];
  for (let i = 1; i <= 9000; i++)
    lines.push(
      `第${i}条：编号${i}的商品自签收之日起享受${(i % 300) + 30}天保修，保修期内非人为损坏可免费维修，人为损坏按实际维修费用收取，维修完成后我们承担寄回运费。`,
      '',
    );
  return lines.join('\n');
}

class Server {
  output = '';
  readonly exited: Promise<void>;
  private cookie = '';
  private csrf = '';

  private constructor(
    readonly process: ChildProcess,
    readonly url: string,
  ) {
    process.stdout!.on('data', (c: Buffer) => (this.output += c.toString()));
    process.stderr!.on('data', (c: Buffer) => (this.output += c.toString()));
    this.exited = new Promise((r) => process.once('exit', () => r()));
  }

  static async start(main: string, env: Record<string, string>): Promise<Server> {
    const port = await freePort();
    const child = spawn(process.execPath, [main], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new Server(child, `http://127.0.0.1:${port}`);
    const end = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${server.url}/ready`).catch(() => undefined);
      if (res?.status === 200) break;
      if (child.exitCode !== null) throw new Error(`server exited:\n${server.output}`);
      if (Date.now() > end) throw new Error(`server not ready within 60 s:\n${server.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(OWNER),
    });
    if (login.status !== 200) throw new Error(`login answered ${login.status}`);
    server.cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    server.csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    return server;
  }

  headers(json: boolean): Record<string, string> {
    return {
      cookie: this.cookie,
      'x-csrf-token': this.csrf,
      ...(json ? { 'content-type': 'application/json' } : {}),
    };
  }

  async json<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: this.headers(body !== undefined),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  async upload(kbId: string, name: string, text: string): Promise<string> {
    const form = new FormData();
    form.append('files', new Blob([text], { type: 'text/markdown' }), name);
    const res = await fetch(`${this.url}/api/kbs/${kbId}/documents`, {
      method: 'POST',
      headers: this.headers(false),
      body: form,
    });
    if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { jobs: { id: string }[] }).jobs[0].id;
  }
}

describe('kill -9 in the middle of an ingestion', () => {
  let build: string;
  let main: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'wendao-crash-'));
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Record<string, string>;
  const servers: Server[] = [];

  beforeAll(async () => {
    ({ dir: build, main } = buildApi('crash-mid-ingest'));
    database = await createTestDatabase();
    env = {
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      WENDAO_DATA_DIR: dataDir,
      WENDAO_MODELS_DIR: join(dataDir, 'no-models'),
      WENDAO_PULL_MODELS: 'false',
      WENDAO_DEMO: 'false',
      WENDAO_OWNER_EMAIL: OWNER.email,
      WENDAO_OWNER_PASSWORD: OWNER.password,
      WENDAO_RATE_LIMIT_PER_IP: '0',
      WENDAO_RATE_LIMIT_PER_KEY: '0',
      LOG_LEVEL: 'log',
    };
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) if (s.process.exitCode === null) s.process.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    await database?.drop();
    for (const dir of [build, dataDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves all of the document or none of it, and the restarted server ingests it once', async () => {
    const first = await Server.start(main, env);
    servers.push(first);
    const kb = await first.json<{ id: string }>('POST', '/api/kbs', { name: 'crash', language: 'zh' });
    await first.json('POST', `/api/kbs/${kb.id}/faqs`, {
      question: '运费怎么算？',
      answer: '订单满99元包邮，未满收取10元运费。',
    });
    const before = await first.json<{ version: number }>('GET', `/api/kbs/${kb.id}`);

    const jobId = await first.upload(kb.id, 'warranty.md', bigPolicy());
    // Kill it the moment the job is being read, long before its transaction can commit.
    for (let i = 0; ; i++) {
      const job = await first.json<{ status: string }>('GET', `/api/jobs/${jobId}`);
      if (job.status === 'running') break;
      if (job.status !== 'queued' || i > 2000) throw new Error(`job never ran: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    first.process.kill('SIGKILL');
    await first.exited;

    // What the dead process left: the job still running, and none of the document.
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      const [job] = (await db.query('SELECT status, attempts FROM ingestion_job WHERE id = $1', [jobId]))
        .rows;
      expect(job).toMatchObject({ status: 'running', attempts: 1 });
      const docs = await db.query('SELECT count(*)::int AS n FROM document WHERE kb_id = $1', [kb.id]);
      const passages = await db.query('SELECT count(*)::int AS n FROM passage WHERE kb_id = $1', [kb.id]);
      expect([docs.rows[0].n, passages.rows[0].n]).toEqual([0, 0]);
      const [{ version }] = (await db.query('SELECT version FROM knowledge_base WHERE id = $1', [kb.id]))
        .rows;
      expect(version).toBe(before.version);
    } finally {
      await db.end();
    }

    // The restarted server re-queues the job (attempt 2 of 2) and ingests the document once.
    const second = await Server.start(main, env);
    servers.push(second);
    let job: { status: string; attempts?: number; counts: { passages: number }; error?: string };
    for (let i = 0; ; i++) {
      job = await second.json('GET', `/api/jobs/${jobId}`);
      if (job.status === 'succeeded' || job.status === 'failed') break;
      if (i > 1200) throw new Error(`job did not settle: ${JSON.stringify(job)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(job.error).toBeUndefined();
    expect(job.status).toBe('succeeded');
    const documents = await second.json<{ fileName: string }[]>('GET', `/api/kbs/${kb.id}/documents`);
    expect(documents.map((d) => d.fileName)).toEqual(['warranty.md']);
    const after = await second.json<{ version: number; counts: { passages: number; faqs: number } }>(
      'GET',
      `/api/kbs/${kb.id}`,
    );
    expect(after.counts.passages).toBe(job.counts.passages);
    expect(after.counts.faqs).toBe(1);
    expect(after.version).toBeGreaterThan(before.version);

    // What was there before is answered, and so is the new document.
    const shipping = await second.json<{ type: string; answer: string }>('POST', `/api/kbs/${kb.id}/ask`, {
      question: '运费怎么算？',
    });
    expect(shipping).toMatchObject({ type: 'faq', answer: '订单满99元包邮，未满收取10元运费。' });
    const warranty = await second.json<{ type: string; answer: string }>('POST', `/api/kbs/${kb.id}/ask`, {
      question: '编号4321的商品保修多少天？',
    });
    expect(warranty.answer).toContain(`${(4321 % 300) + 30}天`);

    second.process.kill('SIGTERM');
    await second.exited;
  }, 300_000);
});
