import { describe, expect, it } from 'vitest';
import { createAnswerCache } from './cache.module';

const config = { redisUrl: undefined, redisPrefix: 'wendao', answerCacheTtlSeconds: 3600 };

describe('createAnswerCache', () => {
  it('caches nothing at size 0: every question is answered afresh', async () => {
    const cache = createAnswerCache({ ...config, answerCacheSize: 0 });
    await cache.set('kb1:v1:退货期限', { text: '7天' });
    expect(cache.kind).toBe('off');
    expect(await cache.get('kb1:v1:退货期限')).toBeUndefined();
    await cache.close();
  });

  it('is off at size 0 with REDIS_URL set too, and opens no connection', async () => {
    const cache = createAnswerCache({ ...config, redisUrl: 'redis://127.0.0.1:1', answerCacheSize: 0 });
    await cache.set('kb1:v1:q', { text: 'a' });
    expect(cache.kind).toBe('off');
    expect(await cache.get('kb1:v1:q')).toBeUndefined();
  });

  it('keeps the last N answers in process at size N, dropping the least recently used', async () => {
    const cache = createAnswerCache({ ...config, answerCacheSize: 2 });
    expect(cache.kind).toBe('memory');
    await cache.set('a', { text: 'A' });
    await cache.set('b', { text: 'B' });
    expect(await cache.get('a')).toEqual({ text: 'A' });
    await cache.set('c', { text: 'C' });
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toEqual({ text: 'A' });
    expect(await cache.get('c')).toEqual({ text: 'C' });
    await cache.close();
  });
});
