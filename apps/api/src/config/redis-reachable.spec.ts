import { describe, expect, it } from 'vitest';
import { assertRedisReachable } from './redis-reachable';

const TEST_REDIS_URL = process.env.WENDAO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('assertRedisReachable', () => {
  it('passes for the test Redis', async () => {
    await expect(assertRedisReachable(TEST_REDIS_URL)).resolves.toBeUndefined();
  });

  it('names REDIS_URL and where it points (never the password) when nothing answers there', async () => {
    const err = await assertRedisReachable('redis://:s3cret@127.0.0.1:1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(
      /^REDIS_URL: Redis at 127\.0\.0\.1:1 does not answer \(.*ECONNREFUSED/,
    );
    expect((err as Error).message).not.toContain('s3cret');
  });
});
