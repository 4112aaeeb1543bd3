/**
 * One counter store for every rate limit, HTTP and socket alike: the throttler's storage, in Redis
 * when REDIS_URL is set (so replicas share their counts), else in process. A key is
 * `<prefix>:rate:<limit name>:<hash of who>`.
 */
import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

export function rateKey(prefix: string, name: string, who: string): string {
  return `${prefix}:rate:${name}:${createHash('sha256').update(who).digest('hex').slice(0, 32)}`;
}

/** The limit's name back out of a key made by rateKey. */
export function rateKeyName(key: string): string {
  return /:rate:([^:]+):[0-9a-f]+$/.exec(key)?.[1] ?? '';
}

@Injectable()
export class RateLimits {
  private readonly logger = new Logger('RateLimits');
  private warnedAt = 0;

  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Counts one hit of `who` against the limit `name` (`limit` per `windowMs`, 0: none). Resolves to
   * the seconds to wait when over it (the caller is blocked for a window), else 0. A store that cannot
   * be reached lets the hit through (logged): the limits protect the service, they must not stop it.
   */
  async take(name: string, who: string, limit: number, windowMs: number): Promise<number> {
    if (limit === 0) return 0;
    try {
      const r = await this.storage.increment(
        rateKey(this.config.redisPrefix, name, who),
        windowMs,
        limit,
        windowMs,
        name,
      );
      return r.isBlocked ? Math.max(1, r.timeToBlockExpire) : 0;
    } catch (err) {
      this.storeFailed(err);
      return 0;
    }
  }

  storeFailed(err: unknown): void {
    if (Date.now() - this.warnedAt < 10_000) return;
    this.warnedAt = Date.now();
    this.logger.warn(`rate-limit store unavailable, not limiting: ${String(err)}`);
  }
}
