/**
 * The HTTP rate limits (@nestjs/throttler): every request counts against its client IP ("ip"), and a
 * request with a credential also against that credential ("key"), a sign-in attempt against its IP's
 * few allowed ("login"). Over one: 429 with Retry-After
 * and a problem body that says which limit. Socket.io traffic does not pass through here (the chat
 * counts its own events through RateLimits).
 */
import { Injectable, HttpException, type ExecutionContext } from '@nestjs/common';
import {
  ThrottlerException,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import type { Response } from 'express';
import { rateKeyName } from './rate-limits';

const WHAT: Record<string, string> = {
  ip: 'requests from your address',
  key: 'requests from these credentials',
  login: 'sign-in attempts from your address',
};

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return context.getType() !== 'http';
  }

  protected async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    try {
      return await super.handleRequest(props);
    } catch (err) {
      if (err instanceof HttpException) throw err;
      // The store (Redis) is unreachable: serve rather than refuse everything.
      return true;
    }
  }

  protected async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const wait = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(wait));
    const what = WHAT[rateKeyName(detail.key)] ?? 'requests from this client';
    throw new ThrottlerException(
      `too many ${what}: at most ${detail.limit} every ${detail.ttl / 1000} s; try again in ${wait} s`,
    );
  }
}
