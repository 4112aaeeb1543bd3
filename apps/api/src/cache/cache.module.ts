/**
 * Provides the answer cache: Redis when REDIS_URL is set, an in-process LRU otherwise.
 */
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ANSWER_CACHE, type AnswerCache } from './answer-cache';
import { MemoryAnswerCache } from './memory-answer-cache';
import { RedisAnswerCache } from './redis-answer-cache';

@Global()
@Module({
  providers: [
    {
      provide: ANSWER_CACHE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): AnswerCache =>
        config.redisUrl
          ? new RedisAnswerCache(config.redisUrl, config.redisPrefix, config.answerCacheTtlSeconds)
          : new MemoryAnswerCache(config.answerCacheSize, config.answerCacheTtlSeconds),
    },
  ],
  exports: [ANSWER_CACHE],
})
export class CacheModule implements OnApplicationShutdown {
  constructor(@Inject(ANSWER_CACHE) private readonly cache: AnswerCache) {}

  async onApplicationShutdown(): Promise<void> {
    await this.cache.close();
  }
}
