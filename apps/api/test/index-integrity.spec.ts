/**
 * Saved indexes are checked before they are served (issue 16): an items.json edited on disk (still
 * valid JSON) fails its checksum, and an index whose item counts differ from PostgreSQL's at the same
 * KB version is refused; either way the index is rebuilt from PostgreSQL, and the answers come from it.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createKb, startTestApp, type TestApp } from './support/test-app';

describe('saved index integrity', () => {
  let t: TestApp;
  let kbId: string;
  beforeAll(async () => {
    t = await startTestApp();
    kbId = await createKb(t.api, 'integrity', 'en');
    for (const [question, answer] of [
      ['How long do returns take?', 'Returns take seven days.'],
      ['Where is the warehouse?', 'The warehouse is in Hangzhou.'],
    ])
      await t.api.post(`/api/kbs/${kbId}/faqs`).send({ question, answer }).expect(201);
    // The first question builds the index; stopping saves it.
    await t.api.post(`/api/kbs/${kbId}/ask`).send({ question: 'How long do returns take?' }).expect(200);
    await t.stop();
  });
  afterAll(async () => t?.close());

  const restart = async () => {
    t = await startTestApp({ databaseUrl: t.databaseUrl, dataDir: t.config.dataDir });
    return t;
  };
  const ask = async (question: string) =>
    (await t.api.post(`/api/kbs/${kbId}/ask`).send({ question }).expect(200)).body;

  it('rebuilds instead of serving an items.json edited on disk', async () => {
    const dir = join(t.config.dataDir, 'indexes', kbId);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ faqs: 2, passages: 0 });
    expect(manifest.checksums['items.json']).toMatch(/^[0-9a-f]{64}$/);
    const items = readFileSync(join(dir, 'items.json'), 'utf8');
    writeFileSync(
      join(dir, 'items.json'),
      items.replace('Returns take seven days.', 'Send it to attacker.example.'),
    );

    await restart();
    const res = await ask('How long do returns take?');
    expect(res).toMatchObject({ type: 'faq', answer: 'Returns take seven days.' });
    await t.stop();
    // The rebuilt index was saved again, with a checksum that matches.
    expect(readFileSync(join(dir, 'items.json'), 'utf8')).not.toContain('attacker.example');
  });

  it('rebuilds an index saved by an older Wendao, saying so without a warning', async () => {
    // After an upgrade that changed the text analyzer, every KB logged
    // 'WARN … on disk is unreadable, rebuilding', which pages an operator who alerts on warnings.
    const dir = join(t.config.dataDir, 'indexes', kbId);
    const snapshot = JSON.parse(readFileSync(join(dir, 'faq-bm25.json'), 'utf8'));
    const older = JSON.stringify({ ...snapshot, analyzerVersion: snapshot.analyzerVersion - 1 });
    writeFileSync(join(dir, 'faq-bm25.json'), older);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.checksums['faq-bm25.json'] = createHash('sha256').update(older).digest('hex');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));

    let written = '';
    const capture = (chunk: string | Uint8Array) => ((written += String(chunk)), true);
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      t = await startTestApp({ databaseUrl: t.databaseUrl, dataDir: t.config.dataDir, logLevel: 'log' });
      expect(await ask('How long do returns take?')).toMatchObject({ type: 'faq' });
    } finally {
      vi.restoreAllMocks();
    }
    const lines = written.split('\n').filter((l) => l.includes(`index for KB ${kbId}`));
    expect(lines).toContainEqual(
      expect.stringMatching(/LOG .*was saved by an older Wendao, rebuilding: .*analyzer version/),
    );
    expect(lines.filter((l) => l.includes('WARN'))).toEqual([]);
    await t.stop();
  });

  it('rebuilds when PostgreSQL holds other items than the saved index at the same KB version', async () => {
    const db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    // A change behind the app's back that did not publish a version: the counts give it away.
    await db.query(`DELETE FROM faq_entry WHERE kb_id = $1 AND question = 'Where is the warehouse?'`, [kbId]);
    await db.end();

    await restart();
    const res = await ask('Where is the warehouse?');
    expect(res.type).not.toBe('faq');
    expect(JSON.stringify(res)).not.toContain('Hangzhou');
    expect(await ask('How long do returns take?')).toMatchObject({ type: 'faq' });
  });
});
