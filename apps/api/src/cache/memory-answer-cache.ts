/**
 * The in-process answer cache (no REDIS_URL): a bounded LRU with a TTL. Values are stored as
 * JSON so a cached answer can never be mutated through a reference handed out earlier.
 * A size of 0 is no cache at all: CacheModule provides NoAnswerCache for it.
 */
import { LRUCache } from 'lru-cache';
import type { AnswerCache } from './answer-cache';

export class MemoryAnswerCache implements AnswerCache {
  readonly kind = 'memory' as const;
  private readonly lru: LRUCache<string, string>;

  constructor(maxEntries: number, ttlSeconds: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new Error(`an in-process answer cache holds at least 1 entry, got ${maxEntries}`);
    this.lru = new LRUCache({
      max: maxEntries,
      ttl: ttlSeconds > 0 ? ttlSeconds * 1000 : undefined,
    });
  }

  async get<T>(key: string): Promise<T | undefined> {
    const raw = this.lru.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }

  async set<T>(key: string, value: T): Promise<void> {
    this.lru.set(key, JSON.stringify(value));
  }

  async close(): Promise<void> {
    this.lru.clear();
  }
}
