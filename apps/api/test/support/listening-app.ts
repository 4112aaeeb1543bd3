import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../../src/config/app-config';
import { startTestApp, type TestApp } from './test-app';

/** A test app that also listens on a port of 127.0.0.1, for what supertest cannot do (raw sockets, streams). */
export interface ListeningTestApp extends TestApp {
  port: number;
}

/** Starts a test app (see startTestApp) and has it listen on a free port of 127.0.0.1. */
export async function startListeningTestApp(overrides: Partial<AppConfig> = {}): Promise<ListeningTestApp> {
  const t = await startTestApp(overrides);
  try {
    await t.wendao.app.listen(0, '127.0.0.1');
  } catch (err) {
    await t.close();
    throw err;
  }
  return { ...t, port: (t.wendao.app.getHttpServer().address() as AddressInfo).port };
}
