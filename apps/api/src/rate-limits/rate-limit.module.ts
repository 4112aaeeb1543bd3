/**
 * Rate limits: the HTTP guard (per client IP, per credential and sign-in attempts per IP, from
 * AppConfig.rateLimits) and the
 * RateLimits counters the chat uses for its socket events, over one store — Redis when REDIS_URL is
 * set (@nest-lab/throttler-storage-redis: counts shared by every replica), else in process.
 */
import { once } from 'node:events';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { SkipThrottle, ThrottlerModule, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import type { Request } from 'express';
import Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimits, rateKey } from './rate-limits';
import { credentialOf, normalizeIp } from './request-identity';

/** On a controller or route: never rate limited (health and readiness probes). */
export const SkipRateLimits = () => SkipThrottle({ ip: true, key: true, login: true });

/** Redis for the counters: commands fail fast while it is unreachable (the limits then let requests through). */
async function redisStorage(url: string): Promise<ThrottlerStorageRedisService> {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 1000 });
  redis.on('error', () => undefined);
  await Promise.race([once(redis, 'ready'), new Promise((r) => setTimeout(r, 2000).unref())]);
  const storage = new ThrottlerStorageRedisService(redis);
  // Given a client, the storage leaves closing it to us.
  return Object.assign(storage, { onModuleDestroy: () => redis.disconnect(false) });
}

export async function throttlerOptions(config: AppConfig): Promise<ThrottlerModuleOptions> {
  const { windowMs, perIp, perKey, login } = config.rateLimits;
  const credential = (req: Request) => credentialOf(req.headers);
  const signingIn = (req: Request) =>
    req.method === 'POST' &&
    ((req.route as { path?: string } | undefined)?.path ?? req.path) === '/api/auth/login';
  return {
    storage: config.redisUrl ? await redisStorage(config.redisUrl) : undefined,
    setHeaders: false,
    generateKey: (_context, who, name) => rateKey(config.redisPrefix, name, who),
    throttlers: [
      {
        name: 'ip',
        limit: perIp,
        ttl: windowMs,
        getTracker: (req) => normalizeIp((req as Request).ip),
        skipIf: () => perIp === 0,
      },
      {
        name: 'key',
        limit: perKey,
        ttl: windowMs,
        getTracker: (req) => credential(req as Request) ?? '',
        skipIf: (context) => perKey === 0 || !credential(context.switchToHttp().getRequest<Request>()),
      },
      {
        // Password guessing: few sign-in attempts per IP, whatever the email.
        name: 'login',
        limit: login,
        ttl: windowMs,
        getTracker: (req) => normalizeIp((req as Request).ip),
        skipIf: (context) => login === 0 || !signingIn(context.switchToHttp().getRequest<Request>()),
      },
    ],
  };
}

@Global()
@Module({
  imports: [ThrottlerModule.forRootAsync({ inject: [APP_CONFIG], useFactory: throttlerOptions })],
  providers: [RateLimits, { provide: APP_GUARD, useClass: RateLimitGuard }],
  exports: [RateLimits],
})
export class RateLimitModule {}
