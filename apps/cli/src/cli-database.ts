/**
 * The server's database for a CLI command: DATABASE_URL, else the embedded PostgreSQL under
 * WENDAO_DATA_DIR (stop the server first: one data folder, one PostgreSQL), migrated before the
 * command's work so it also runs on a fresh install; closed (and the embedded server stopped) after,
 * whatever happens. A failure becomes the command's `wendao: ...` line and exit code 1.
 */
import { DataSource } from 'typeorm';
import { assertPostgresReachable } from '../../api/src/config/postgres-reachable';
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
    db = await new DataSource({
      ...dataSourceOptions(url),
      migrationsRun: false,
      extra: { max: 2 },
    }).initialize();
    await db.runMigrations({ transaction: 'each' });
    return await work(db);
  } catch (err) {
    return { output: `wendao: ${err instanceof Error ? err.message : String(err)}`, exitCode: 1 };
  } finally {
    await db?.destroy();
    await embedded?.stop();
  }
}
