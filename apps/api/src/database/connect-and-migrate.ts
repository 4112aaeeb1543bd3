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
 */
export async function connectAndMigrate(options: DataSourceOptions): Promise<DataSource> {
  const db = await new DataSource({ ...options, migrationsRun: false }).initialize();
  try {
    const logger = new Logger('Database');
    for (const migration of await db.runMigrations({ transaction: 'all' }))
      logger.log(`migration applied: ${migration.name}`);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  return db;
}
