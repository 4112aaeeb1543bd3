/**
 * Scale-out with real processes (not containers): the current sources built with swc into a
 * git-ignored folder, then two API replicas (WENDAO_ROLE=api) and one worker (WENDAO_ROLE=worker)
 * spawned as child processes on one PostgreSQL database and one Redis, as docker-compose.yml runs
 * them. An upload through A is ingested by the worker and answered through B from the new version;
 * an FAQ edit on B is answered on A; a customer on A and an agent on B talk (socket.io Redis adapter);
 * A is killed with SIGKILL and the customer resumes on B with every message once; A restarts after
 * three publishes it missed and catches up from its saved index. SIGTERM stops each process cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../bench/lib/api-server';
import { ChatClient, connectChat, type Payload } from './support/chat-client';
import { buildApi, REPO_ROOT } from './support/built-api';
import { createTestDatabase, TEST_REDIS_URL } from './support/test-app';

const AGENT_TOKEN = 'scale-agent-secret';

/** The owner the first replica creates (WENDAO_OWNER_*); every request carries its session. */
const OWNER = { email: 'owner@scale.wendao', password: 'scale-owner-password' };
const session: Record<string, string> = {};

async function logIn(url: string): Promise<void> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  session.cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  session['x-csrf-token'] = ((await res.json()) as Payload).csrfToken;
}

/** One spawned server process and everything it printed. */
class Replica {
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private constructor(
    readonly name: string,
    readonly process: ChildProcess,
    readonly url: string,
  ) {
    process.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    process.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((r) => process.once('exit', (code, signal) => r({ code, signal })));
  }

  static start(name: string, main: string, env: Record<string, string>, port: number): Replica {
    const child = spawn(process.execPath, [main], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Replica(name, child, `http://127.0.0.1:${port}`);
  }

  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (this.process.exitCode !== null) throw new Error(`${this.name} exited:\n${this.output}`);
      if (Date.now() > end)
        throw new Error(`${this.name}: no ${pattern} within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async ready(): Promise<void> {
    const end = Date.now() + 60_000;
    for (;;) {
      const res = await fetch(`${this.url}/ready`).catch(() => undefined);
      if (res?.status === 200) return;
      if (this.process.exitCode !== null) throw new Error(`${this.name} exited:\n${this.output}`);
      if (Date.now() > end) throw new Error(`${this.name} not ready within 60 s:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async json<T = Payload>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { ...session, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }
}

describe('two API replicas and a worker as processes, on PostgreSQL and Redis', () => {
  const prefix = `wendao-test-${randomBytes(4).toString('hex')}`;
  let build: string;
  let main: string;
  const dirs: string[] = [];
  const clients: ChatClient[] = [];
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: Replica;
  let b: Replica;
  let worker: Replica;
  let dataDirA: string;
  let portA: number;
  let kbId: string;

  const env = (role: string, dataDir: string): Record<string, string> => ({
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    WENDAO_REDIS_PREFIX: prefix,
    WENDAO_ROLE: role,
    WENDAO_DATA_DIR: dataDir,
    WENDAO_MODELS_DIR: join(dataDir, 'no-models'),
    WENDAO_PULL_MODELS: 'false',
    WENDAO_DEMO: 'false',
    WENDAO_AGENT_TOKEN: AGENT_TOKEN,
    WENDAO_OWNER_EMAIL: OWNER.email,
    WENDAO_OWNER_PASSWORD: OWNER.password,
    WENDAO_RATE_LIMIT_PER_IP: '0',
    WENDAO_RATE_LIMIT_PER_KEY: '0',
    LOG_LEVEL: 'log',
  });
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'wendao-scale-'));
    dirs.push(dir);
    return dir;
  };
  const ask = async (replica: Replica, question: string) => {
    const res = await replica.json('POST', `/api/kbs/${kbId}/ask`, { question });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    // The sources as they are now, built the way `npm run build` builds dist/.
    ({ dir: build, main } = buildApi('scale-out'));
    database = await createTestDatabase();
    dataDirA = dataDir();
    [portA] = [await freePort()];
    // A first: it runs the migrations; then B and the worker.
    a = Replica.start('A', main, env('api', dataDirA), portA);
    await a.ready();
    await logIn(a.url);
    b = Replica.start('B', main, env('api', dataDir()), await freePort());
    worker = Replica.start('worker', main, env('worker', dataDir()), await freePort());
    await Promise.all([b.ready(), worker.waitFor(/worker: processing the ingestion queue/)]);
  });

  afterAll(async () => {
    for (const c of clients) c.socket.disconnect();
    for (const replica of [a, b, worker])
      if (replica?.process.exitCode === null) replica.process.kill('SIGKILL');
    await Promise.all([a, b, worker].map((r) => r?.exited));
    await database?.drop();
    for (const dir of [...dirs, build]) if (dir) rmSync(dir, { recursive: true, force: true });
    const redis = new Redis(TEST_REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('the worker does not listen for HTTP', async () => {
    expect(worker.output).not.toMatch(/listening on/);
    await expect(fetch(`${worker.url}/health`)).rejects.toThrow();
  });

  it('an upload through A is ingested by the worker and answered through B from the new version', async () => {
    kbId = (await a.json('POST', '/api/kbs', { name: 'scale', language: 'zh' })).body.id;
    const form = new FormData();
    form.append('files', new Blob(['问题,答案\n退货期限是多久？,签收后7天内可申请退货。\n']), 'faq.csv');
    const upload = await fetch(`${a.url}/api/kbs/${kbId}/documents`, {
      method: 'POST',
      headers: session,
      body: form,
    });
    expect(upload.status).toBe(202);
    const jobId = ((await upload.json()) as Payload).jobs[0].id;
    let job: Payload;
    for (;;) {
      job = (await b.json('GET', `/api/jobs/${jobId}`)).body;
      if (job.status === 'succeeded' || job.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // Only the worker consumes the queue (A and B are WENDAO_ROLE=api: worker-role.spec).
    expect(job.status).toBe('succeeded');
    // The first question after the job ends is answered from its version.
    expect(await ask(b, '退货期限是多久？')).toMatchObject({
      type: 'faq',
      answer: '签收后7天内可申请退货。',
      kbVersion: job.kbVersion,
    });
  });

  it('an FAQ edit on B is answered on A', async () => {
    const faqs = (await b.json<Payload[]>('GET', `/api/kbs/${kbId}/faqs`)).body;
    const edited = await b.json('PATCH', `/api/kbs/${kbId}/faqs/${faqs[0].id}`, {
      answer: '签收后15天内可申请退货。',
    });
    expect(edited.status).toBe(200);
    const version = (await b.json('GET', `/api/kbs/${kbId}`)).body.version;
    expect(await ask(a, '退货期限是多久？')).toMatchObject({
      answer: '签收后15天内可申请退货。',
      kbVersion: version,
    });
  });

  it('a customer on A and an agent on B talk; A dies (SIGKILL) and the customer resumes on B with every message once', async () => {
    const key = (await a.json('POST', `/api/kbs/${kbId}/widget-keys`, {})).body.key;
    const agent = await connectChat(b.url, { agent: true });
    const customer = await connectChat(a.url, { key });
    clients.push(agent, customer);
    await agent.send('agent:join', { token: AGENT_TOKEN, name: 'bob' });
    const { sessionId } = await customer.send('session:start', {});
    await customer.send('handoff:request', {});
    await agent.waitFor('agent:queue', (q) => q.sessionId === sessionId);
    await agent.send('agent:take', { sessionId });
    await customer.waitFor('agent:joined');
    const asked = await customer.send('message', { clientId: 'c-1', text: '发票怎么开？' });
    await agent.waitFor('customer:message', (m) => m.seq === asked.seq);
    const replied = await agent.send('agent:message', { sessionId, text: '在订单详情里申请即可。' });
    await customer.waitFor('agent:message', (m) => m.seq === replied.seq);
    const seen = Math.max(
      ...customer.events.map((e) => (typeof e.payload?.seq === 'number' ? e.payload.seq : 0)),
    );

    a.process.kill('SIGKILL');
    expect((await a.exited).signal).toBe('SIGKILL');
    // While the customer has no connection, the agent (on B) writes twice.
    const missed1 = await agent.send('agent:message', { sessionId, text: '还需要别的帮助吗？' });
    const missed2 = await agent.send('agent:message', { sessionId, text: '我先帮您备注。' });

    const resumed = await connectChat(b.url, { key });
    clients.push(resumed);
    const ready = await resumed.send('session:start', { sessionId, lastSeq: seen });
    expect(ready).toMatchObject({ sessionId, resumed: true, handoff: 'with_agent' });
    expect(ready.messages.map((m: Payload) => m.seq)).toEqual([missed1.seq, missed2.seq]);
    expect(ready.messages.map((m: Payload) => m.text)).toEqual(['还需要别的帮助吗？', '我先帮您备注。']);
    // The resend of a message A acknowledged is recognised, not stored twice.
    const resent = await resumed.send('message', { clientId: 'c-1', text: '发票怎么开？' });
    expect(resent.seq).toBe(asked.seq);
    const next = await resumed.send('message', { clientId: 'c-2', text: '好的，谢谢' });
    expect(await agent.waitFor('customer:message', (m) => m.seq === next.seq)).toMatchObject({
      text: '好的，谢谢',
    });
    const all = (await resumed.send('session:start', { sessionId })).messages as Payload[];
    const seqs = all.map((m) => m.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(all.filter((m) => m.clientId === 'c-1')).toHaveLength(1);
  });

  it('A, down during three publishes, restarts from its saved index plus the difference', async () => {
    for (const [question, answer] of [
      ['运费谁出？', '质量问题由我们承担运费。'],
      ['几点发货？', '下午四点前下单当天发货。'],
      ['支持货到付款吗？', '暂不支持货到付款。'],
    ])
      expect((await b.json('POST', `/api/kbs/${kbId}/faqs`, { question, answer })).status).toBe(201);
    const version = (await b.json('GET', `/api/kbs/${kbId}`)).body.version;
    a = Replica.start('A', main, env('api', dataDirA), portA);
    await a.ready();
    expect(a.output).toMatch(new RegExp(`loaded index for KB ${kbId} at version \\d+`));
    expect(a.output).toMatch(new RegExp(`caught up index for KB ${kbId} from version \\d+ to ${version}`));
    expect(a.output).not.toMatch(new RegExp(`rebuilt index for KB ${kbId}`));
    expect(await ask(a, '支持货到付款吗？')).toMatchObject({
      answer: '暂不支持货到付款。',
      kbVersion: version,
    });
  });

  it('SIGTERM stops every process cleanly; the worker finishes the job in progress first', async () => {
    const prose = Array.from({ length: 8000 }, (_, i) => `第${i}条：积分可以抵扣现金，每100积分抵1元。`).join(
      '\n',
    );
    const form = new FormData();
    form.append('files', new Blob([prose], { type: 'text/plain' }), 'points.txt');
    const upload = await fetch(`${b.url}/api/kbs/${kbId}/documents`, {
      method: 'POST',
      headers: session,
      body: form,
    });
    const jobId = ((await upload.json()) as Payload).jobs[0].id;
    let status = 'queued';
    while (status === 'queued') status = (await b.json('GET', `/api/jobs/${jobId}`)).body.status;
    expect(status).toBe('running');
    worker.process.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    // The worker drained: the job it was running finished before it exited.
    expect((await b.json('GET', `/api/jobs/${jobId}`)).body).toMatchObject({ status: 'succeeded' });
    for (const replica of [a, b]) replica.process.kill('SIGTERM');
    const exits = await Promise.all([a, b].map((r) => r.exited));
    expect(exits.map((e) => e.code)).toEqual([0, 0]);
  });
});
