/**
 * A start on a port another program holds says so once, in Wendao's words: Nest's own
 * 'ERROR [NestApplication] Error: listen EADDRINUSE: address already in use …' no longer comes first.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWendaoApp } from '../src/create-app';
import { listen } from '../src/listen';
import { createTestDatabase, testConfig } from './support/test-app';

describe('a taken port', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => database?.drop());

  it("logs nothing of Nest's before Wendao's message; Nest's other errors still print", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as AddressInfo).port;
    const wendao = await createWendaoApp(
      testConfig({ port, host: '127.0.0.1', databaseUrl: database.url, logLevel: 'log' }),
    );
    let written = '';
    const capture = (chunk: string | Uint8Array) => ((written += String(chunk)), true);
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      await wendao.ready;
      await expect(listen(wendao)).rejects.toThrow(
        `port ${port} on 127.0.0.1 is already in use (another Wendao or another program listens there): stop it, or set PORT to a free port`,
      );
      expect(written).not.toMatch(/EADDRINUSE|NestApplication/);
      // Only listen's own failure is left out.
      wendao.logger.error('something else', undefined, 'NestApplication');
      expect(written).toMatch(/ERROR \[NestApplication\] something else/);
    } finally {
      vi.restoreAllMocks();
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  }, 60_000);
});
