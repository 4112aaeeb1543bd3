/**
 * The start-up check that DATABASE_URL answers, before TypeORM gets it: TypeORM retried a dead URL
 * for ~27 s, printing a stack trace every 3 s, and then stopped the server with the driver's error
 * object (`ECONNREFUSED`, or `database "x" does not exist` with twenty fields) naming no variable.
 */
import { Client } from 'pg';

/** host:port/database of a PostgreSQL URL, without the credentials it may carry. */
function where(url: string): string {
  const u = new URL(url);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  return `${u.hostname}:${u.port || 5432}${database ? `/${database}` : ''}`;
}

export async function assertPostgresReachable(url: string, timeoutMs = 5000): Promise<void> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A dropped connection after the check must not become an unhandled 'error' event.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    const e = err as Error & { code?: string };
    // A SQLSTATE (5 characters) means a server answered and refused: wrong database, user or password.
    const refused = typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code);
    throw new Error(
      refused
        ? `DATABASE_URL: PostgreSQL at ${where(url)} refused the connection (${e.message}); fix DATABASE_URL, or create that database or user`
        : `DATABASE_URL: PostgreSQL at ${where(url)} does not answer (${e.message}); start it, or fix or unset DATABASE_URL`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}
