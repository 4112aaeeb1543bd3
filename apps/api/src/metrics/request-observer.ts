/**
 * One Express middleware sees every HTTP request end: it times it into
 * wendao_http_request_duration_seconds and writes the access-log line (at `debug`, so the default
 * `log` level stays quiet). Both name the route pattern Express matched (`/api/kbs/:id/ask`), never
 * the URL: no ids, no query string; and nothing of the headers, cookies or body.
 */
import { performance } from 'node:perf_hooks';
import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { WendaoMetrics } from './wendao-metrics';

/** Requests no route matched (404s, probes for other software): one label, whatever their path. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Routes answered outside Express's router (the /metrics middleware) name themselves here. */
const named = new WeakMap<Request, string>();
export const nameRoute = (req: Request, route: string): void => void named.set(req, route);

export function routeOf(req: Request): string {
  const own = named.get(req);
  if (own) return own;
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return UNMATCHED_ROUTE;
  return `${req.baseUrl ?? ''}${path}` || '/';
}

export function requestObserver(metrics: WendaoMetrics, logger = new Logger('HTTP')) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    // 'close' also fires for a client that hung up before the response ended ('finish' would not).
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      const route = routeOf(req);
      const status = res.headersSent ? res.statusCode : 499;
      metrics.httpRequestDuration.observe(
        { method: req.method, route, status_class: `${Math.floor(status / 100)}xx` },
        seconds,
      );
      logger.debug(`${req.method} ${route} ${status} ${(seconds * 1000).toFixed(1)} ms`);
    });
    next();
  };
}
