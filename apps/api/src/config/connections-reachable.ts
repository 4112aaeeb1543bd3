/**
 * The start-up check of the servers the config names, DATABASE_URL then REDIS_URL: one connect
 * each, once per start. main.ts runs it before the model pulls (a mistyped URL must not wait minutes
 * of downloads) and tells createWendaoApp it is done; tests that build the app directly get it there.
 */
import type { AppConfig } from './app-config';
import { assertPostgresReachable } from './postgres-reachable';
import { assertRedisReachable } from './redis-reachable';

export async function assertConnectionsReachable(
  config: Pick<AppConfig, 'databaseUrl' | 'redisUrl'>,
): Promise<void> {
  if (config.databaseUrl) await assertPostgresReachable(config.databaseUrl);
  if (config.redisUrl) await assertRedisReachable(config.redisUrl);
}
