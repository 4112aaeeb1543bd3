/**
 * GET /metrics in Prometheus's text format, for the HTTP port and for the metrics port alike (plain
 * Node request/response, no Nest: the worker has no Nest HTTP server). With WENDAO_METRICS_TOKEN set,
 * a scrape without `Authorization: Bearer <token>` gets 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** True when `authorization` is `Bearer <token>`; compared in constant time (over hashes: any length). */
export function bearerMatches(authorization: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return !!match && timingSafeEqual(digest(match[1]), digest(token));
}

function problem(res: ServerResponse, statusCode: number, error: string, message: string): void {
  res.statusCode = statusCode;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ statusCode, error, message }));
}

/** Answers one scrape: 401 without the token (when one is set), else the registry's exposition. */
export async function serveMetrics(
  registry: Registry,
  token: string | undefined,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (token && !bearerMatches(req.headers.authorization, token)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="wendao-metrics"');
    return problem(res, 401, 'Unauthorized', 'send Authorization: Bearer <WENDAO_METRICS_TOKEN>');
  }
  try {
    const body = await registry.metrics();
    res.statusCode = 200;
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.end(body);
  } catch {
    problem(res, 500, 'Internal Server Error', 'internal server error');
  }
}
