/**
 * `npm start` on the embedded defaults: once it listens it says where to go (the admin console, the
 * demo, the API docs); Ctrl-C while it starts stops its embedded PostgreSQL too, and a terminal's Ctrl-C (its whole process group) once it runs stops the app, then PostgreSQL, without a warning; when its port is taken (another Wendao still running, say) it exits with a
 * message that names the port and PORT, and takes its embedded PostgreSQL down with it, so that the
 * next start (the port freed) is not refused on the database folder's lock. A DATABASE_URL where no
 * PostgreSQL answers stops it at once with one line, as does a bad DATABASE_URL or REDIS_URL before
 * any model is pulled, and its first log lines are plain in a pipe. Killed (SIGKILL), it leaves its
 * PostgreSQL running; the next start stops that one and starts (while a server runs, it refuses,
 * before it pulls any model).
 * The current sources are built with swc and run as a child process, as in crash-mid-ingest.spec.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../bench/lib/api-server';
import { buildApi, REPO_ROOT } from './support/built-api';
import { TEST_SERVER_URL } from './support/test-app';

/** The environment of a server on its embedded PostgreSQL in `data`, without models and pulling none. */
function embedded(data: string, models = join(data, 'no-models')): Record<string, string> {
  return { WENDAO_DATA_DIR: data, WENDAO_MODELS_DIR: models, WENDAO_PULL_MODELS: 'false' };
}

/**
 * Starts the built server with PATH, HOME and `env`: the child, its exit code to come and its output
 * so far (stdout and stderr), each piece of which `onOutput` sees as it comes. `detached`: its own
 * process group, as a shell gives a command it runs.
 */
function start(
  main: string,
  env: Record<string, string>,
  { detached = false, onOutput }: { detached?: boolean; onOutput?: (output: string) => void } = {},
) {
  const child = spawn(process.execPath, [main], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached,
  });
  let output = '';
  const read = (c: Buffer) => {
    output += c.toString();
    onOutput?.(output);
  };
  child.stdout.on('data', read);
  child.stderr.on('data', read);
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  return { child, exited, output: () => output };
}

/** Runs the built server until it exits (at most 90 s); its output and exit code. */
async function run(
  main: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const server = start(main, env);
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 90_000);
  const code = await server.exited;
  clearTimeout(timer);
  return { code, output: server.output() };
}

describe('npm start on the embedded defaults', () => {
  let build: string;
  let main: string;
  let blocker: Server;
  let port: number;
  const dataDir = mkdtempSync(join(tmpdir(), 'wendao-port-taken-'));
  const pidFile = join(dataDir, 'pg', 'postmaster.pid');
  const listeningDataDir = mkdtempSync(join(tmpdir(), 'wendao-listening-'));

  beforeAll(async () => {
    ({ dir: build, main } = buildApi('npm-start'));
    port = await freePort();
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', () => r()));
  });

  afterAll(async () => {
    // Had the server left its PostgreSQL behind, stop it here rather than leave it to the machine.
    if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
    await new Promise((r) => blocker?.close(() => r(undefined)));
    for (const dir of [dataDir, listeningDataDir]) rmSync(dir, { recursive: true, force: true });
    rmSync(build, { recursive: true, force: true });
  });

  it('says where to go once it listens: the admin console, the demo shop and the OpenAPI page', async () => {
    const free = await freePort();
    const server = start(main, {
      PORT: String(free),
      ...embedded(listeningDataDir, join(dataDir, 'no-models')),
    });
    const { child, exited } = server;
    try {
      await expect.poll(server.output, { timeout: 60_000 }).toMatch(/listening on http:.*\n/);
      const base = `http://localhost:${free}`;
      expect(server.output()).toContain(
        `listening on http://0.0.0.0:${free} (role all): admin console ${base}/admin, demo shop with the chat widget ${base}/demo, OpenAPI ${base}/api/docs`,
      );
      expect((await fetch(`${base}/admin`)).status).toBe(200);
      // A first start applies every migration, and says so.
      expect(server.output()).toMatch(/LOG \[Database\] migration applied: InitialSchema1764000000000\n/);
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('stops the embedded PostgreSQL when Ctrl-C comes while the server is still starting', async () => {
    const data = mkdtempSync(join(tmpdir(), 'wendao-ctrl-c-'));
    try {
      let interrupted = false;
      const { child, exited, output } = start(
        main,
        { PORT: String(await freePort()), ...embedded(data) },
        {
          onOutput: (output) => {
            // The database is up, the app (migrations, the demo) not yet: the operator presses Ctrl-C.
            if (!interrupted && output.includes('embedded PostgreSQL listening')) {
              interrupted = true;
              child.kill('SIGINT');
            }
          },
        },
      );
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      await exited;
      clearTimeout(timer);
      expect(interrupted).toBe(true);
      expect(output()).not.toMatch(/listening on http:/);
      const pid = join(data, 'pg', 'postmaster.pid');
      const left = existsSync(pid);
      if (left) process.kill(Number(readFileSync(pid, 'utf8').split('\n')[0]), 'SIGINT');
      expect(left).toBe(false);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('stops cleanly on Ctrl-C in a terminal: its embedded PostgreSQL is not in the signalled group', async () => {
    // A terminal's Ctrl-C sends SIGINT to its whole foreground process group. The embedded PostgreSQL
    // was in it, and shut down at once, under the app still using it: the last lines of a Ctrl-C
    // could be 'WARN [KbVersionListener] KB version channel lost (terminating connection due to
    // administrator command); reconnecting in 250 ms'. Now Wendao alone gets it and stops PostgreSQL.
    const data = mkdtempSync(join(tmpdir(), 'wendao-terminal-'));
    const pid = join(data, 'pg', 'postmaster.pid');
    let server: ReturnType<typeof start> | undefined;
    try {
      server = start(main, { PORT: String(await freePort()), ...embedded(data) }, { detached: true });
      const { child, exited } = server;
      await expect.poll(server.output, { timeout: 60_000 }).toMatch(/calibrated on/);
      const postgres = Number(readFileSync(pid, 'utf8').split('\n')[0]);
      const groupOf = (p: number) =>
        Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ')[2]);
      expect(groupOf(postgres)).not.toBe(child.pid);
      process.kill(-child.pid!, 'SIGINT'); // the terminal's Ctrl-C
      expect(await exited).toBe(0);
      const output = server.output();
      const after = output.slice(output.indexOf('SIGINT: shutting down'));
      expect(after).not.toMatch(/WARN|ERROR/);
      expect(after).toContain(`embedded PostgreSQL stopped; its data stays in ${join(data, 'pg')}`);
      expect(existsSync(pid)).toBe(false);
    } finally {
      // A failed expectation above leaves the server running: it goes first, then its PostgreSQL.
      if (server && server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill('SIGKILL');
        await server.exited;
      }
      if (existsSync(pid)) process.kill(Number(readFileSync(pid, 'utf8').split('\n')[0]), 'SIGINT');
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('stops at once with one line naming DATABASE_URL when no PostgreSQL answers there', async () => {
    const dead = await freePort();
    const { code, output } = await run(main, {
      DATABASE_URL: `postgres://wendao:s3cret@127.0.0.1:${dead}/shop`,
      ...embedded(dataDir),
    });
    expect(code).toBe(1);
    // TypeORM retried for ~27 s with a stack trace every 3 s, then printed the driver's error object.
    expect(output.trim()).toMatch(
      new RegExp(
        `^wendao: DATABASE_URL: PostgreSQL at 127\\.0\\.0\\.1:${dead}/shop does not answer \\(connect ECONNREFUSED [^)]*\\); start it, or fix or unset DATABASE_URL$`,
      ),
    );
    expect(output).not.toContain('s3cret');
  });

  it('checks DATABASE_URL and REDIS_URL before it pulls any model', async () => {
    // A hub that would answer every pull: it must not be asked before the connections are checked.
    const asked: string[] = [];
    const hub = createHttpServer((req, res) => (asked.push(req.url ?? ''), res.writeHead(404).end()));
    await new Promise<void>((r) => hub.listen(0, '127.0.0.1', () => r()));
    const endpoint = `http://127.0.0.1:${(hub.address() as AddressInfo).port}`;
    try {
      const pulls = {
        WENDAO_PULL_MODELS: 'true',
        HF_ENDPOINT: endpoint,
        WENDAO_DATA_DIR: dataDir,
        WENDAO_MODELS_DIR: join(dataDir, 'no-models'),
      };
      const dead = await freePort();
      const database = await run(main, {
        ...pulls,
        DATABASE_URL: `postgres://postgres@127.0.0.1:${dead}/shop`,
      });
      expect(database.code).toBe(1);
      // It was checked only after every model of the catalog had been fetched (minutes on a first start).
      expect(database.output.trim()).toMatch(
        /^wendao: DATABASE_URL: PostgreSQL at 127\.0\.0\.1:\d+\/shop does not answer/,
      );
      const redis = await run(main, {
        ...pulls,
        DATABASE_URL: TEST_SERVER_URL,
        REDIS_URL: `redis://127.0.0.1:${dead}`,
      });
      expect(redis.code).toBe(1);
      expect(redis.output.trim()).toMatch(/^wendao: REDIS_URL: Redis at 127\.0\.0\.1:\d+ does not answer/);
      expect(asked).toEqual([]);
    } finally {
      await new Promise((r) => hub.close(r));
    }
  });

  it('exits naming the port, and stops the embedded PostgreSQL it started', async () => {
    const { code, output } = await run(main, {
      HOST: '127.0.0.1',
      PORT: String(port),
      WENDAO_DATA_DIR: dataDir,
      WENDAO_MODELS_DIR: join(dataDir, 'no-models'),
      // Offline: each missing model of the catalog is reported before the embedded PostgreSQL starts.
      HF_HUB_OFFLINE: 'true',
      WENDAO_PULL_MODELS: 'true',
    });
    // The model pulls of the first start log before the app exists, with its logger: no colour codes
    // in a pipe.
    expect(output).toMatch(/WARN \[Wendao\] BAAI\/bge-small-zh-v1\.5 /);
    expect(output).not.toContain('\x1b[');
    expect(code).toBe(1);
    // It did get as far as starting its database (the failure is the port, not the database).
    expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    // PostgreSQL removes its pid file when it stops; a live one would refuse the next start.
    expect(existsSync(pidFile)).toBe(false);
    expect(output).toContain(
      `wendao: port ${port} on 127.0.0.1 is already in use (another Wendao or another program listens there): stop it, or set PORT to a free port`,
    );
  });

  it('starts again after a killed Wendao left its embedded PostgreSQL running; not while one runs', async () => {
    // SIGKILL (the out-of-memory killer, say) leaves the child PostgreSQL running: every later start
    // was refused on the folder's lock ("already running (PID …)") until someone killed it by hand.
    const dir = mkdtempSync(join(tmpdir(), 'wendao-killed-'));
    const postmaster = join(dir, 'pg', 'postmaster.pid');
    const env = { HOST: '127.0.0.1', ...embedded(dir), WENDAO_DEMO: 'false' };
    /** The built server, once it listens. */
    const listening = async () => {
      const server = start(main, { ...env, PORT: String(await freePort()) });
      await expect.poll(server.output, { timeout: 60_000 }).toMatch(/listening on http:/);
      return server;
    };
    const alive = (pid: number) => {
      try {
        return process.kill(pid, 0);
      } catch {
        return false;
      }
    };
    try {
      const first = await listening();
      // While it runs, its PostgreSQL is in use: another start on the folder is refused, before it
      // pulls any model (it asked the hub for the whole catalog first, writing the same .part files
      // as a first copy still downloading into that models folder).
      const asked: string[] = [];
      const hub = createHttpServer((req, res) => (asked.push(req.url ?? ''), res.writeHead(404).end()));
      await new Promise<void>((r) => hub.listen(0, '127.0.0.1', () => r()));
      try {
        const second = await run(main, {
          ...env,
          PORT: String(await freePort()),
          WENDAO_PULL_MODELS: 'true',
          HF_ENDPOINT: `http://127.0.0.1:${(hub.address() as AddressInfo).port}`,
        });
        expect(second.code).toBe(1);
        expect(second.output.trim()).toMatch(
          /^wendao: the embedded PostgreSQL of .* is already running \(PID \d+\)/,
        );
        expect(asked).toEqual([]);
      } finally {
        await new Promise((r) => hub.close(r));
      }

      first.child.kill('SIGKILL');
      await first.exited;
      const orphan = Number(readFileSync(postmaster, 'utf8').split('\n')[0]);
      expect(alive(orphan)).toBe(true);

      const again = await listening();
      expect(again.output()).toContain(
        `(PID ${orphan}) was left running by Wendao process ${first.child.pid}, which has ended (killed or crashed): stopping it, then starting again`,
      );
      expect(alive(orphan)).toBe(false);
      again.child.kill('SIGTERM');
      await again.exited;
      expect(existsSync(postmaster)).toBe(false);
    } finally {
      if (existsSync(postmaster))
        process.kill(Number(readFileSync(postmaster, 'utf8').split('\n')[0]), 'SIGINT');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
