/**
 * The answer cache turned off (WENDAO_ANSWER_CACHE_SIZE=0): nothing is stored, every question is
 * answered afresh. Benchmarks of the uncached paths run with it.
 */
import type { AnswerCache } from './answer-cache';

export class NoAnswerCache implements AnswerCache {
  readonly kind = 'off' as const;

  async get<T>(_key: string): Promise<T | undefined> {
    return undefined;
  }

  async set<T>(_key: string, _value: T): Promise<void> {}

  async close(): Promise<void> {}
}
