/**
 * TypeORM over PostgreSQL: migrations run at start, never synchronize, and each one applied is
 * logged. The URL is final by the time this module is built (an embedded server, if any, is already
 * running; see create-app.ts).
 */
import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

/**
 * Connects and applies the migrations the database lacks, one line per migration applied (nothing
 * when none was pending): TypeORM's migrationsRun applied them silently, so an operator upgrading
 * could not see what changed in the schema. All pending ones run in one transaction, as before.
 */
async function connectAndMigrate(options: DataSourceOptions): Promise<DataSource> {
  const db = await new DataSource({ ...options, migrationsRun: false }).initialize();
  try {
    const logger = new Logger('Database');
    for (const migration of await db.runMigrations({ transaction: 'all' }))
      logger.log(`migration applied: ${migration.name}`);
  } catch (err) {
    // The module retries a failed start: this pool would otherwise stay open beside the next one's.
    await db.destroy();
    throw err;
  }
  return db;
}

@Module({})
export class DatabaseModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(url),
          dataSourceFactory: (options) => connectAndMigrate(options!),
        }),
      ],
    };
  }
}
