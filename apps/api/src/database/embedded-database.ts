/**
 * The embedded PostgreSQL used when DATABASE_URL is unset: real PostgreSQL binaries from npm,
 * data under <dataDir>/pg, on a free local port, started before the app and stopped after it.
 * As root it runs as the `postgres` user; when that user cannot enter the clone (a private home
 * such as /root/wendao), binaries and data live under the runtime folder instead (logged).
 */
import { createHash } from 'node:crypto';
import { chmod, chown, mkdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { assertDataDirUsable } from '../config/data-dir-usable';
import {
  packagedBinaries,
  PostgresCluster,
  postgresUser,
  reachableBinaries,
  reachableBy,
  type OsUser,
} from './postgres-cluster';

const DATABASE = 'wendao';
const USER = 'postgres';
const PASSWORD = 'wendao';
/** Where root keeps what the `postgres` user must reach (WENDAO_EMBEDDED_PG_DIR). */
export const DEFAULT_EMBEDDED_RUNTIME_DIR = '/var/lib/wendao';

async function freePort(): Promise<number> {
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

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export interface EmbeddedDatabaseOptions {
  /** Pins the port (a test restarting the same cluster); by default a free one is picked. */
  port?: number;
  /** Root only: where binaries and data go when the `postgres` user cannot enter the data dir. */
  runtimeDir?: string;
  /** PostgreSQL in a process group of its own (see ClusterOptions.detached). */
  ownProcessGroup?: boolean;
}

/** Whether a process is alive. EPERM: alive, another user's (the `postgres` user's, when we are not root). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The first line of a PID file, when it names a live process (a stale file left by a crash: none). */
async function livePid(file: string): Promise<number | undefined> {
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

/** The PID in a cluster's postmaster.pid when that process is alive. */
const runningPostmaster = (pgDir: string) => livePid(join(pgDir, 'postmaster.pid'));

/**
 * The Wendao process (server or CLI) that started the data folder's PostgreSQL, in
 * <dataDir>/pg-owner.pid: when it has ended (killed, out of memory, crashed) and its PostgreSQL runs
 * on, nobody uses that PostgreSQL and the next start may stop it.
 */
const OWNER_FILE = 'pg-owner.pid';

/** Why a start on a data folder whose embedded PostgreSQL another Wendao process uses is refused. */
function inUse(dataDir: string, pid: number): Error {
  return new Error(
    `the embedded PostgreSQL of ${dataDir} is already running (PID ${pid}): a Wendao server or another wendao command is using this data folder. Stop it first, or set DATABASE_URL to a PostgreSQL server`,
  );
}

/** Where root keeps a data folder's cluster when the `postgres` user cannot enter that folder. */
async function relocatedPgDir(dataDir: string, runtimeDir: string): Promise<string> {
  const key = createHash('sha256')
    .update(await realpath(dataDir))
    .digest('hex')
    .slice(0, 16);
  return join(runtimeDir, 'clusters', key, 'pg');
}

/**
 * Refuses, before anything is started or fetched, a data folder whose embedded PostgreSQL runs for
 * another live Wendao process (server or CLI). main.ts calls it before the model pulls: a second
 * copy began them, into the models folder the first may still be downloading into (the same `.part`
 * files), and was refused by EmbeddedDatabase.start() only afterwards. Only the case start() surely
 * refuses: a folder it would take over (its owner has ended) or leave to PostgreSQL to judge (no
 * owner recorded) passes here.
 */
export async function assertEmbeddedDataFree(
  dataDir: string,
  runtimeDir: string = DEFAULT_EMBEDDED_RUNTIME_DIR,
): Promise<void> {
  const owner = await livePid(join(dataDir, OWNER_FILE));
  if (owner === undefined || owner === process.pid) return;
  const pgDirs = [join(dataDir, 'pg')];
  if (userInfo().uid === 0) {
    const relocated = await relocatedPgDir(dataDir, runtimeDir).catch(() => undefined);
    if (relocated) pgDirs.push(relocated);
  }
  for (const pgDir of pgDirs) {
    const pid = await runningPostmaster(pgDir);
    if (pid !== undefined) throw inUse(dataDir, pid);
  }
}

/** Stops a postmaster that is not our child (fast shutdown), waiting up to 60 s for it to end. */
async function stopPostmaster(pid: number): Promise<void> {
  process.kill(pid, 'SIGINT');
  for (let waited = 0; alive(pid); waited += 100) {
    if (waited >= 60_000) throw new Error(`PostgreSQL (PID ${pid}) did not stop within 60 s of SIGINT`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export class EmbeddedDatabase {
  private readonly logger = new Logger('EmbeddedDatabase');
  private cluster?: PostgresCluster;
  private port?: number;
  private pgDir?: string;

  constructor(
    private readonly dataDir: string,
    private readonly options: EmbeddedDatabaseOptions = {},
  ) {}

  /** Starts (initialising on first use) and returns a connection URL. */
  async start(): Promise<string> {
    await assertDataDirUsable(this.dataDir);
    const packaged = await packagedBinaries();
    let binaries: { initdb: string; postgres: string } = packaged;
    let pgDir = join(this.dataDir, 'pg');
    let runAs: OsUser | undefined;
    if (userInfo().uid === 0) {
      // PostgreSQL refuses to run as root: it runs as `postgres`, which must reach binaries and data.
      runAs = await postgresUser();
      const runtimeDir = this.options.runtimeDir ?? DEFAULT_EMBEDDED_RUNTIME_DIR;
      binaries = await reachableBinaries(runAs, packaged, runtimeDir);
      await chmod(this.dataDir, 0o755);
      if (!(await reachableBy(runAs, this.dataDir, 0o1)))
        pgDir = await this.relocatedDataDir(runAs, runtimeDir);
    }
    this.port ??= this.options.port ?? (await freePort());
    const cluster = new PostgresCluster({
      binaries,
      dataDir: pgDir,
      port: this.port,
      user: USER,
      password: PASSWORD,
      runAs,
      // No unix socket: it would collide with a system PostgreSQL's socket folder.
      flags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
      detached: this.options.ownProcessGroup,
    });
    if (!(await exists(join(pgDir, 'PG_VERSION')))) {
      this.logger.log(`initialising embedded PostgreSQL in ${pgDir}`);
      await cluster.initialise();
    }
    await this.startCluster(cluster, pgDir);
    this.cluster = cluster;
    this.pgDir = pgDir;
    await writeFile(join(this.dataDir, OWNER_FILE), `${process.pid}\n`);
    const client = new Client({
      host: '127.0.0.1',
      port: this.port,
      user: USER,
      password: PASSWORD,
      database: 'postgres',
    });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await client.end();
    }
    this.logger.log(`embedded PostgreSQL listening on 127.0.0.1:${this.port}`);
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${this.port}/${DATABASE}`;
  }

  /**
   * Stops the cluster, and says so: after Ctrl-C the log ended on 'SIGINT: shutting down', leaving the
   * operator to wonder whether PostgreSQL (and its data) had come down cleanly.
   */
  async stop(): Promise<void> {
    const cluster = this.cluster;
    this.cluster = undefined;
    if (!cluster) return;
    await cluster.stop();
    this.logger.log(`embedded PostgreSQL stopped; its data stays in ${this.pgDir}`);
  }

  /**
   * Starts the cluster. One already running on the folder is another server's (or a `wendao export`
   * ...'s) and refuses the start (PostgreSQL's own words were a FATAL about postmaster.pid), unless
   * the Wendao process that started it has ended: then it is stopped and this one starts. Killed
   * (SIGKILL, the out-of-memory killer), Wendao leaves its PostgreSQL running, and every later start
   * (a systemd or Docker restart) was refused until someone found and killed that process.
   */
  private async startCluster(cluster: PostgresCluster, pgDir: string): Promise<void> {
    const failed = (err: unknown) =>
      new Error(`embedded PostgreSQL failed to start in ${pgDir}: ${(err as Error).message}`);
    try {
      await cluster.start();
      return;
    } catch (err) {
      const pid = await runningPostmaster(pgDir);
      if (pid === undefined) throw failed(err);
      const ownerFile = join(this.dataDir, OWNER_FILE);
      const owner = Number((await readFile(ownerFile, 'utf8').catch(() => '')).split('\n')[0]);
      // No owner recorded (started before this file existed), or the owner lives: in use.
      if (!Number.isInteger(owner) || owner <= 0 || (await livePid(ownerFile)) !== undefined)
        throw inUse(this.dataDir, pid);
      this.logger.warn(
        `the embedded PostgreSQL of ${this.dataDir} (PID ${pid}) was left running by Wendao process ${owner}, which has ended (killed or crashed): stopping it, then starting again`,
      );
      await stopPostmaster(pid);
    }
    await cluster.start().catch((err: unknown) => {
      throw failed(err);
    });
  }

  /**
   * A cluster folder the `postgres` user owns, under the runtime folder, one per data dir (by its
   * real path, so the same clone finds its data again); the data dir gets a note saying where.
   */
  private async relocatedDataDir(runAs: OsUser, runtimeDir: string): Promise<string> {
    const pgDir = await relocatedPgDir(this.dataDir, runtimeDir);
    const home = dirname(pgDir);
    try {
      await mkdir(home, { recursive: true, mode: 0o755 });
      await chmod(join(runtimeDir, 'clusters'), 0o755);
      await chown(home, runAs.uid, runAs.gid);
    } catch (err) {
      throw new Error(
        `the embedded PostgreSQL runs as the "postgres" user, which cannot enter ${this.dataDir}, and ${home} could not be created for its data (${(err as Error).message}). Set WENDAO_EMBEDDED_PG_DIR, move the clone somewhere "postgres" can enter, or set DATABASE_URL.`,
      );
    }
    this.logger.log(
      `the "postgres" user cannot enter ${this.dataDir} (a private folder above it); the embedded PostgreSQL keeps its data in ${pgDir}`,
    );
    await writeFile(
      join(this.dataDir, 'pg-location.txt'),
      `The embedded PostgreSQL's data for this folder is in ${pgDir}\n(the "postgres" user cannot enter ${this.dataDir}).\n`,
    ).catch(() => undefined);
    return pgDir;
  }
}
