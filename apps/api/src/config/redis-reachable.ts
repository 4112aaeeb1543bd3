/**
 * The start-up check that REDIS_URL answers: without it the first of the many Redis clients to fail
 * (cache, queue, rate limits, socket adapter) stopped the server with a bare `ECONNREFUSED` that
 * named neither the variable nor what to do.
 */
import Redis from 'ioredis';

/** host:port of a Redis URL, without the credentials it may carry. */
function where(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 6379}`;
}

export async function assertRedisReachable(url: string, timeoutMs = 5000): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  // The socket's own error (ECONNREFUSED, ENOTFOUND) says more than connect()'s "Connection is closed".
  let cause: Error | undefined;
  redis.on('error', (err: Error) => (cause ??= err));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    throw new Error(
      `REDIS_URL: Redis at ${where(url)} does not answer (${(cause ?? (err as Error)).message}); start it, or fix or unset REDIS_URL`,
    );
  } finally {
    redis.disconnect(false);
  }
}
