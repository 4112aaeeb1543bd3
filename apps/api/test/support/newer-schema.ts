import { Client } from 'pg';
import { connectAndMigrate } from '../../src/database/connect-and-migrate';
import { dataSourceOptions } from '../../src/database/data-source-options';

/**
 * Leaves the database at `url` as a newer Wendao would: migrated, and with a migration this version
 * does not know (FromTheFuture1799000000000) recorded as run.
 */
export async function migrateAsNewerWendao(url: string): Promise<void> {
  await (await connectAndMigrate(dataSourceOptions(url))).destroy();
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO migrations (timestamp, name) VALUES (1799000000000, 'FromTheFuture1799000000000')`,
    );
  } finally {
    await client.end();
  }
}
