/**
 * Opens a data source and applies the migrations the database lacks, one log line per migration
 * applied: the server's DatabaseModule and the CLI's commands that open the database (users,
 * export, import) both start through it, so an upgrade reads the same whichever runs first.
 */
import { Logger } from '@nestjs/common';
import { DataSource, type DataSourceOptions } from 'typeorm';

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
  const lock = db.createQueryRunner();
  try {
    await lock.connect();
    await lock.query(`SELECT pg_advisory_lock(hashtext('wendao_migrations'))`);
    const logger = new Logger('Database');
    for (const migration of await db.runMigrations({ transaction: 'all' }))
      logger.log(`migration applied: ${migration.name}`);
  } catch (err) {
    await lock.release().catch(() => undefined);
    await db.destroy();
    throw err;
  }
  // Unlocked with its session: the connection goes back to the pool unlocked.
  await lock.query(`SELECT pg_advisory_unlock(hashtext('wendao_migrations'))`);
  await lock.release();
  return db;
}
