/**
 * The API server as benches drive it: `node dist/apps/api/src/main.js` as a child process on a free
 * loopback port with its own data folder (embedded PostgreSQL), and a small JSON/upload client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** The owner startServer creates (WENDAO_OWNER_*); ApiClient logs in as it. */
export const BENCH_OWNER = { email: 'bench@wendao.local', password: 'bench-owner-password' };

export class ApiClient {
  private session?: Promise<Record<string, string>>;

  constructor(readonly base: string) {}

  /** The session cookie and CSRF header, from one login on first use. */
  credentials(): Promise<Record<string, string>> {
    this.session ??= (async () => {
      const res = await fetch(`${this.base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(BENCH_OWNER),
      });
      if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
      const { csrfToken } = (await res.json()) as { csrfToken: string };
      const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
      return { cookie, 'x-csrf-token': csrfToken };
    })();
    return this.session;
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(await this.credentials()),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  /** Imports an exported KB (POST /api/kbs/import); its id. */
  async importKb(exported: unknown): Promise<string> {
    return (await this.json<{ id: string }>('POST', '/api/kbs/import', exported)).id;
  }

  async upload(kbId: string, files: { name: string; text: string }[]): Promise<string[]> {
    const form = new FormData();
    for (const f of files) form.append('files', new Blob([f.text], { type: 'text/plain' }), f.name);
    const res = await fetch(`${this.base}/api/kbs/${kbId}/documents`, {
      method: 'POST',
      headers: await this.credentials(),
      body: form,
    });
    const body = (await res.json()) as { jobs: { id: string }[] };
    if (res.status !== 202) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`);
    return body.jobs.map((j) => j.id);
  }
}

/** What a bench may add to the server it starts. */
export interface ServerExtras {
  /** Environment on top of the bench defaults (e.g. raised chat limits, WENDAO_DEMO). */
  env?: Record<string, string>;
  /** Write the server's event-loop delay and RSS to this file every second (bench/lib/event-loop-probe). */
  loopFile?: string;
}

export async function startServer(
  dataDir: string,
  port: number,
  models: { encoder?: string; reader?: string; threads: number },
  extras: ServerExtras = {},
): Promise<ChildProcess> {
  const probe = extras.loopFile ? ['--require', resolve(__dirname, 'event-loop-probe.js')] : [];
  const server = spawn(process.execPath, [...probe, resolve(__dirname, '../../apps/api/src/main.js')], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      PORT: String(port),
      HOST: '127.0.0.1',
      WENDAO_DATA_DIR: dataDir,
      WENDAO_MODELS_DIR: join(dataDir, 'no-models'),
      ...(models.encoder ? { WENDAO_ENCODER_MODEL: models.encoder } : {}),
      ...(models.reader ? { WENDAO_READER_MODEL: models.reader } : {}),
      WENDAO_ONNX_THREADS: String(models.threads),
      WENDAO_DEMO: 'false',
      WENDAO_OWNER_EMAIL: BENCH_OWNER.email,
      WENDAO_OWNER_PASSWORD: BENCH_OWNER.password,
      WENDAO_ANSWER_CACHE_SIZE: '0',
      WENDAO_IMPORT_MAX_BYTES: String(200 * 1024 * 1024),
      // Every bench client is 127.0.0.1: the HTTP rate limits would measure themselves.
      WENDAO_RATE_LIMIT_PER_IP: '0',
      WENDAO_RATE_LIMIT_PER_KEY: '0',
      LOG_LEVEL: 'warn',
      ...(extras.loopFile ? { WENDAO_BENCH_LOOP_FILE: extras.loopFile } : {}),
      ...extras.env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  server.once('exit', (code, signal) => {
    if (code !== 0) console.error(`server exited: code ${code}, signal ${signal}`);
  });
  const until = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ready`);
      if (res.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > until) throw new Error('server did not become ready in 120 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** startServer on a free loopback port, with a client for it. */
export async function startApi(
  dataDir: string,
  models: { encoder?: string; reader?: string; threads: number },
  extras: ServerExtras = {},
): Promise<{ server: ChildProcess; api: ApiClient }> {
  const port = await freePort();
  const server = await startServer(dataDir, port, models, extras);
  return { server, api: new ApiClient(`http://127.0.0.1:${port}`) };
}

export async function waitForJobs(
  api: ApiClient,
  ids: string[],
): Promise<{ passages: number; failed: string[] }> {
  let passages = 0;
  const failed: string[] = [];
  for (const id of ids) {
    for (;;) {
      const job = await api.json<{
        status: string;
        counts: { passages: number };
        error?: string;
        file: string;
      }>('GET', `/api/jobs/${id}`);
      if (job.status === 'succeeded') {
        passages += job.counts.passages;
        break;
      }
      if (job.status === 'failed') {
        failed.push(`${job.file}: ${job.error}`);
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { passages, failed };
}
