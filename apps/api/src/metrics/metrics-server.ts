/**
 * WENDAO_METRICS_PORT: a bare Node HTTP listener that serves only GET /metrics. It is how a worker
 * (no HTTP server of its own) is scraped, and lets an API replica keep /metrics off its public port.
 */
import { createServer, type Server } from 'node:http';
import { Logger } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { listenFailure } from '../listen';
import { serveMetrics } from './metrics-endpoint';

export async function startMetricsServer(
  registry: Registry,
  token: string | undefined,
  port: number,
  host: string,
): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') return void serveMetrics(registry, token, req, res);
    res.statusCode = 404;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(
      JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'this port serves GET /metrics only' }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    // A bare "listen EADDRINUSE … :9464" would not say it is the metrics port, nor which variable.
    server.once('error', (err) =>
      reject(new Error(listenFailure(err, host, port, 'WENDAO_METRICS_PORT'), { cause: err })),
    );
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  new Logger('Metrics').log(
    `metrics on http://${host}:${bound}/metrics (${token ? 'Bearer token required' : 'no token: firewall this port'})`,
  );
  return {
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
