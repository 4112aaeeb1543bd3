/**
 * A PostgreSQL session advisory lock around a piece of work, for what processes sharing one database
 * (replicas, a worker, the CLI) must do one at a time: apply migrations, seed the demo KB.
 */
import type { DataSource } from 'typeorm';

/**
 * Runs `work` while holding the advisory lock `hashtext(name)` on a connection of its own (taken from
 * the pool, so the pool needs one more than `work` uses); another process asking for the same lock
 * waits until this one is done. The lock is let go (the connection goes back to the pool unlocked)
 * whatever `work` does.
 */
export async function withAdvisoryLock<T>(db: DataSource, name: string, work: () => Promise<T>): Promise<T> {
  const lock = db.createQueryRunner();
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      return await work();
    } finally {
      // A failed unlock means a broken connection, whose session (and lock) ends with it: the error
      // of `work`, if any, is the one worth reporting.
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => undefined);
    }
  } finally {
    await lock.release();
  }
}
