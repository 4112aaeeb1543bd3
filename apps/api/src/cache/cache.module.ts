/**
 * Provides the answer cache: none when its size is 0, else Redis when REDIS_URL is set, an
 * in-process LRU otherwise.
 */
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ANSWER_CACHE, type AnswerCache } from './answer-cache';
import { MemoryAnswerCache } from './memory-answer-cache';
import { NoAnswerCache } from './no-answer-cache';
import { RedisAnswerCache } from './redis-answer-cache';

/** Size 0 turns the cache off whichever backend would hold it: an operator who sets it wants fresh answers. */
export function createAnswerCache(
  config: Pick<AppConfig, 'redisUrl' | 'redisPrefix' | 'answerCacheSize' | 'answerCacheTtlSeconds'>,
): AnswerCache {
  if (config.answerCacheSize === 0) return new NoAnswerCache();
  return config.redisUrl
    ? new RedisAnswerCache(config.redisUrl, config.redisPrefix, config.answerCacheTtlSeconds)
    : new MemoryAnswerCache(config.answerCacheSize, config.answerCacheTtlSeconds);
}

@Global()
@Module({
  providers: [
    {
      provide: ANSWER_CACHE,
      inject: [APP_CONFIG],
      useFactory: createAnswerCache,
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
