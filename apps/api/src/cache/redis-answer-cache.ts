/**
 * The shared answer cache (REDIS_URL set): every API replica sees the same answers. A Redis
 * outage degrades to "no cache" (logged) rather than failing the question.
 */
import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import type { AnswerCache } from './answer-cache';

export class RedisAnswerCache implements AnswerCache {
  readonly kind = 'redis' as const;
  private readonly logger = new Logger('RedisAnswerCache');
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly ttlSeconds: number,
  ) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, lazyConnect: false });
    this.redis.on('error', (err) => this.logger.warn(`redis: ${err.message}`));
  }

  async get<T>(key: string): Promise<T | undefined> {
    try {
      const raw = await this.redis.get(`${this.prefix}:answer:${key}`);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    } catch (err) {
      this.logger.warn(`cache read failed: ${(err as Error).message}`);
      return undefined;
    }
  }

  async set<T>(key: string, value: T): Promise<void> {
    try {
      const full = `${this.prefix}:answer:${key}`;
      if (this.ttlSeconds > 0) await this.redis.set(full, JSON.stringify(value), 'EX', this.ttlSeconds);
      else await this.redis.set(full, JSON.stringify(value));
    } catch (err) {
      this.logger.warn(`cache write failed: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
