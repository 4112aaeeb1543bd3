import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  it('allows `limit` messages per window and key, then says how long to wait', () => {
    const limiter = new RateLimiter(2, 1000);
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 100)).toBe(0);
    expect(limiter.take('a', 400)).toBe(600);
    expect(limiter.take('b', 400)).toBe(0);
    expect(limiter.take('a', 1000)).toBe(0);
  });

  it('never limits with a limit of 0', () => {
    const limiter = new RateLimiter(0, 1000);
    for (let i = 0; i < 100; i++) expect(limiter.take('a', i)).toBe(0);
  });
});
