import { createServer, type AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { startMetricsServer } from './metrics-server';

describe('startMetricsServer', () => {
  it('names WENDAO_METRICS_PORT when its port is taken', async () => {
    // It stopped the start with a bare "listen EADDRINUSE: address already in use 127.0.0.1:9464".
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const { port } = taken.address() as AddressInfo;
    try {
      await expect(startMetricsServer(new Registry(), undefined, port, '127.0.0.1')).rejects.toThrow(
        `port ${port} on 127.0.0.1 (WENDAO_METRICS_PORT) is already in use (another Wendao or another program listens there): stop it, or set WENDAO_METRICS_PORT to a free port`,
      );
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('serves GET /metrics on a free port', async () => {
    const registry = new Registry();
    const server = await startMetricsServer(registry, undefined, 0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
