/**
 * TypeORM over PostgreSQL: migrations run at start, never synchronize, and each one applied is
 * logged (connect-and-migrate.ts, shared with the CLI). The URL is final by the time this module is
 * built (an embedded server, if any, is already running; see create-app.ts).
 */
import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { connectAndMigrate, NewerSchemaError } from './connect-and-migrate';
import { dataSourceOptions } from './data-source-options';

@Module({})
export class DatabaseModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          // A database migrated by a newer Wendao stays so: say it at once, not after 9 retries.
          useFactory: () => ({
            ...dataSourceOptions(url),
            toRetry: (err: unknown) => !(err instanceof NewerSchemaError),
          }),
          dataSourceFactory: (options) => connectAndMigrate(options!),
        }),
      ],
    };
  }
}
