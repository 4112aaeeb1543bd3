/**
 * The server's database for a CLI command: DATABASE_URL, else the embedded PostgreSQL under
 * WENDAO_DATA_DIR (stop the server first: one data folder, one PostgreSQL), migrated before the
 * command's work so it also runs on a fresh install (each migration applied is logged, as the server
 * logs it); closed (and the embedded server stopped) after, whatever happens. A failure becomes the
 * command's `wendao: ...` line and exit code 1.
 */
import type { DataSource } from 'typeorm';
import { assertPostgresReachable } from '../../api/src/config/postgres-reachable';
import { connectAndMigrate } from '../../api/src/database/connect-and-migrate';
import { dataSourceOptions } from '../../api/src/database/data-source-options';
import { EmbeddedDatabase } from '../../api/src/database/embedded-database';
import type { CliConfig } from './cli-config';

export interface CommandOutcome {
  output: string;
  exitCode: number;
}

export async function withDatabase(
  database: CliConfig['database'],
  work: (db: DataSource) => Promise<CommandOutcome>,
): Promise<CommandOutcome> {
  const embedded = database.url
    ? undefined
    : new EmbeddedDatabase(database.dataDir, { runtimeDir: database.embeddedPgDir });
  let db: DataSource | undefined;
  try {
    if (database.url) await assertPostgresReachable(database.url);
    const url = database.url ?? (await embedded!.start());
    // Two connections: a command is one short sequence of statements, beside a stopped server.
    // The migrations are applied and logged as the server's start does them (one line each).
    db = await connectAndMigrate({ ...dataSourceOptions(url), extra: { max: 2 } });
    return await work(db);
  } catch (err) {
    return { output: `wendao: ${err instanceof Error ? err.message : String(err)}`, exitCode: 1 };
  } finally {
    await db?.destroy();
    await embedded?.stop();
  }
}
