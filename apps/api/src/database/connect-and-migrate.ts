/**
 * Opens a data source and applies the migrations the database lacks, one log line per migration
 * applied: the server's DatabaseModule and the CLI's commands that open the database (users,
 * export, import) both start through it, so an upgrade reads the same whichever runs first.
 */
import { Logger } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { withAdvisoryLock } from './advisory-lock';

/**
 * Connects and applies the pending migrations, logging `migration applied: <name>` for each (nothing
 * when none was pending): TypeORM's migrationsRun applied them silently, so an operator upgrading
 * could not see what changed in the schema. All pending ones run in one transaction: a failed
 * upgrade leaves the schema as it was. The pool is closed if they fail (the server's module retries
 * a failed start: this pool would otherwise stay open beside the next one's).
 *
 * Processes that start together on one database (docker compose up: two replicas and a worker on a
 * fresh PostgreSQL) take turns under a session advisory lock: each ran the same migrations in its
 * own transaction, and all but one failed on a duplicate relation. The next in turn finds them
 * applied and applies none.
 */
export async function connectAndMigrate(options: DataSourceOptions): Promise<DataSource> {
  const db = await new DataSource({ ...options, migrationsRun: false }).initialize();
  try {
    await withAdvisoryLock(db, 'wendao_migrations', async () => {
      const logger = new Logger('Database');
      for (const migration of await db.runMigrations({ transaction: 'all' }))
        logger.log(`migration applied: ${migration.name}`);
      await refuseNewerSchema(db);
    });
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}

/**
 * A database a newer Wendao has migrated (an upgrade rolled back, an old replica or `wendao` CLI left
 * beside new ones) is refused: this version's queries may name columns a later migration dropped or
 * renamed, and it started and answered 500 to them (the document list after 1767000000000).
 */
async function refuseNewerSchema(db: DataSource): Promise<void> {
  const known = new Set(db.migrations.map((m) => m.name));
  const table = db.options.migrationsTableName ?? 'migrations';
  const applied: { name: string }[] = await db.query(`SELECT name FROM "${table}" ORDER BY timestamp, id`);
  const unknown = applied.map((r) => r.name).filter((name) => !known.has(name));
  if (unknown.length)
    throw new NewerSchemaError(
      `the database was migrated by a newer Wendao (migration${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}, ` +
        `which this version does not know): run that version or a later one, or restore the backup taken before the upgrade`,
    );
}

/** Not a passing fault: the server's start does not retry it. */
export class NewerSchemaError extends Error {
  override readonly name = 'NewerSchemaError';
}
