import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKb,
  createTestDatabase,
  startTestApp,
  uploadAndWait,
  type TestApp,
} from '../../../api/test/support/test-app';
import { capturedOutput, jsonLogEntries } from '../../test/captured-output';
import { run } from '../main';
import { exportCommand, importCommand } from './organisation-backup.command';

const config = (url: string) => ({ url, dataDir: '/nonexistent', embeddedPgDir: '/nonexistent' });
const read = (file: string) => JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
const withoutTime = ({ exportedAt, ...rest }: Record<string, unknown>) => (
  expect(exportedAt).toBeTruthy(),
  rest
);

async function count(url: string, table: string): Promise<number> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return Number((await c.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
  } finally {
    await c.end();
  }
}

describe('wendao export / import', () => {
  let t: TestApp;
  let target: Awaited<ReturnType<typeof createTestDatabase>>;
  const dir = mkdtempSync(join(tmpdir(), 'wendao-backup-'));
  const first = join(dir, 'first.json.gz');
  let shopKb: string;
  const question = { question: 'How long does delivery take?' };

  beforeAll(async () => {
    t = await startTestApp();
    target = await createTestDatabase();
    shopKb = await createKb(t.api, 'shop', 'en');
    const returnsKb = await createKb(t.api, 'returns', 'en');
    await t.api
      .post(`/api/kbs/${shopKb}/faqs`)
      .send({ question: 'How long does delivery take?', answer: 'Three working days.', tags: ['shipping'] })
      .expect(201);
    await t.api
      .post(`/api/kbs/${shopKb}/faqs`)
      .send({ question: 'Do you ship abroad?', answer: 'Only within the EU.', enabled: false })
      .expect(201);
    await t.api
      .post(`/api/kbs/${returnsKb}/faqs`)
      .send({ question: 'Can I return shoes?', answer: 'Within 30 days.', alternates: ['shoe returns'] })
      .expect(201);
    const [job] = await uploadAndWait(t.api, shopKb, [
      {
        name: 'guide.txt',
        type: 'text/plain',
        content: 'Our warehouse is in Rotterdam.\n\nParcels are packed by hand and leave every weekday.',
      },
    ]);
    expect(job.status).toBe('succeeded');
    const key = await t.api
      .post(`/api/kbs/${shopKb}/widget-keys`)
      .send({ allowedOrigins: ['https://shop.example'] })
      .expect(201);
    await t.api
      .post(`/api/kbs/${shopKb}/intents`)
      .send({ name: 'delivery', examples: ['where is my parcel', 'when will it arrive'] })
      .expect(201);
    await t.api.post(`/api/kbs/${shopKb}/ask`).send(question).expect(200);
    // A widget conversation with feedback, written as the chat gateway stores it.
    const c = new Client({ connectionString: t.databaseUrl });
    await c.connect();
    try {
      const conv = await c.query(
        `INSERT INTO conversation (kb_id, widget_key_id, state, last_seq) VALUES ($1, $2, '{"turns": 1}', 2) RETURNING id`,
        [shopKb, key.body.id],
      );
      const msgs = await c.query(
        `INSERT INTO message (conversation_id, seq, client_message_id, role, text, payload)
         VALUES ($1, 1, 'c-1', 'customer', 'delivery time?', NULL), ($1, 2, NULL, 'bot', 'Three working days.', '{"outcome":"faq"}')
         RETURNING id, role`,
        [conv.rows[0].id],
      );
      const bot = msgs.rows.find((m) => m.role === 'bot').id;
      // The widget connected with the key (the gateway marks it used).
      await c.query(`UPDATE widget_key SET last_used_at = now() WHERE id = $1`, [key.body.id]);
      await c.query(`INSERT INTO message_feedback (message_id, vote, comment) VALUES ($1, 'up', 'quick')`, [
        bot,
      ]);
      await c.query(
        `INSERT INTO question_event (kb_id, channel, conversation_id, message_id, question, question_normalized, outcome, latency_ms)
         VALUES ($1, 'chat', $2, $3, 'delivery time?', 'delivery time', 'faq', 12.5)`,
        [shopKb, conv.rows[0].id, bot],
      );
    } finally {
      await c.end();
    }
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await target?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('round-trips an organisation into a fresh database: the second export equals the first, and the KBs answer alike', async () => {
    // The shop KB's thresholds are calibrated in the background after its index reaches a version:
    // wait for it, so the archive holds the calibration the original answers with.
    for (let settled = false; !settled; await new Promise((r) => setTimeout(r, 100))) {
      const c = new Client({ connectionString: t.databaseUrl });
      await c.connect();
      const { rows } = await c.query(
        `SELECT (calibration->>'kbVersion')::int = version AS done FROM knowledge_base WHERE id = $1`,
        [shopKb],
      );
      await c.end();
      settled = rows[0].done === true;
    }
    const out = await exportCommand({ organisation: t.organisationId, out: first }, config(t.databaseUrl));
    expect(out).toMatchObject({ exitCode: 0 });
    expect(out.output).toMatch(/2 knowledge base\(s\)/);
    const a = read(first);
    expect(a).toMatchObject({ format: 'wendao-organisation', formatVersion: 1 });
    for (const table of [
      'faq_entry',
      'passage',
      'widget_key',
      'intent_example',
      'message_feedback',
      'question_event',
    ])
      expect(a.tables[table].length, table).toBeGreaterThan(0);
    expect(a.tables.app_user[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(a.tables.organisation[0].created_at).toMatch(/\+00:00$/);

    // A saved index left from an earlier life of the KB id in the server's data folder goes.
    const dataDir = join(dir, 'data');
    const stale = join(dataDir, 'indexes', shopKb);
    mkdirSync(stale, { recursive: true });
    writeFileSync(join(stale, 'manifest.json'), '{}');
    const imported = await importCommand(first, {}, { ...config(target.url), dataDir });
    expect(imported).toMatchObject({ exitCode: 0 });
    expect(existsSync(stale)).toBe(false);
    const second = join(dir, 'second.json.gz');
    expect(
      await exportCommand({ organisation: t.organisationId, out: second }, config(target.url)),
    ).toMatchObject({
      exitCode: 0,
    });
    expect(withoutTime(read(second))).toEqual(withoutTime(a));

    // The restored server builds its indexes from PostgreSQL and answers as the original does.
    const restored = await startTestApp({ databaseUrl: target.url });
    try {
      const answer = async (api: TestApp['api']) => {
        const { timings, cached, ...body } = (
          await api.post(`/api/kbs/${shopKb}/ask`).send(question).expect(200)
        ).body;
        void timings;
        void cached;
        return body;
      };
      const before = await answer(t.api);
      expect(JSON.stringify(before)).toMatch(/delivery|Three working days/);
      expect(await answer(restored.api)).toEqual(before);
    } finally {
      await restored.stop();
    }
  }, 60_000);

  it('refuses to import over an existing organisation, and a corrupt or unknown-version file, changing nothing', async () => {
    const before = await count(target.url, 'faq_entry');
    const again = await importCommand(first, {}, config(target.url));
    expect(again.exitCode).toBe(1);
    expect(again.output).toMatch(/already exists here: restore it with --as-new-organisation/);

    const corrupt = join(dir, 'corrupt.json.gz');
    writeFileSync(corrupt, readFileSync(first).subarray(0, 200));
    const bad = await importCommand(corrupt, {}, config(target.url));
    expect(bad.exitCode).toBe(1);
    expect(bad.output).toMatch(/^wendao: cannot read/);

    // Another file given by mistake: it said only "cannot read x.csv: Unexpected token 'q', … is not valid JSON".
    const csv = join(dir, 'faqs.csv');
    writeFileSync(csv, 'question,answer\n退货期限是多久？,7天内\n');
    const notArchive = await importCommand(csv, {}, config(target.url));
    expect(notArchive.exitCode).toBe(1);
    expect(notArchive.output).toMatch(
      new RegExp(
        `^wendao: ${csv} is not a Wendao organisation archive \\(it holds no JSON, plain or gzipped: .*\\); give a file that wendao export wrote$`,
      ),
    );

    const future = join(dir, 'future.json.gz');
    writeFileSync(future, gzipSync(JSON.stringify({ ...read(first), formatVersion: 99 })));
    const unknown = await importCommand(future, { asNewOrganisation: 'Future' }, config(target.url));
    expect(unknown).toEqual({
      exitCode: 1,
      output: 'wendao: archive format version 99 is not supported (this Wendao reads version 1)',
    });

    const planted = join(dir, 'planted.json.gz');
    const foreign = read(first);
    foreign.tables.faq_entry[0].kb_id = '00000000-0000-4000-8000-000000000000';
    writeFileSync(planted, gzipSync(JSON.stringify(foreign)));
    expect(await importCommand(planted, { asNewOrganisation: 'Planted' }, config(target.url))).toEqual({
      exitCode: 1,
      output:
        'wendao: table faq_entry: kb_id 00000000-0000-4000-8000-000000000000 is not part of the archive',
    });

    const badSettings = join(dir, 'settings.json.gz');
    const odd = read(first);
    odd.tables.knowledge_base[0].settings = { chunkTargetLength: 'long' };
    writeFileSync(badSettings, gzipSync(JSON.stringify(odd)));
    const refused = await importCommand(badSettings, { asNewOrganisation: 'Odd' }, config(target.url));
    expect(refused.output).toMatch(/invalid settings \(chunkTargetLength\)/);

    // A row that breaks a constraint half-way: the transaction leaves nothing behind.
    const broken = join(dir, 'broken.json.gz');
    const archive = read(first);
    archive.tables.message_feedback[0].vote = 'meh';
    writeFileSync(broken, gzipSync(JSON.stringify(archive)));
    const orgs = await count(target.url, 'organisation');
    expect((await importCommand(broken, { asNewOrganisation: 'Broken' }, config(target.url))).exitCode).toBe(
      1,
    );
    expect(await count(target.url, 'organisation')).toBe(orgs);
    expect(await count(target.url, 'faq_entry')).toBe(before);
  });

  it('--as-new-organisation restores a copy under fresh ids beside the original', async () => {
    const out = await importCommand(first, { asNewOrganisation: 'Shop copy' }, config(t.databaseUrl));
    expect(out.output).toMatch(/^imported/);
    expect(out.output).toMatch(/imported organisation "Shop copy" .* with 2 knowledge base\(s\)/);
    expect(out.output).toMatch(/already users here/);
    const copyId = /\(([0-9a-f-]{36})\)/.exec(out.output)![1];
    expect(copyId).not.toBe(t.organisationId);
    const copy = join(dir, 'copy.json.gz');
    expect((await exportCommand({ organisation: copyId, out: copy }, config(t.databaseUrl))).exitCode).toBe(
      0,
    );
    const c = read(copy);
    expect(c.tables.faq_entry.map((f: { question: string }) => f.question).sort()).toEqual(
      read(first)
        .tables.faq_entry.map((f: { question: string }) => f.question)
        .sort(),
    );
    expect(c.tables.message_feedback).toHaveLength(1);
    // The copy's widget key is its own and never used; the original's was.
    expect(read(first).tables.widget_key[0].last_used_at).not.toBeNull();
    expect(c.tables.widget_key).toHaveLength(1);
    expect(c.tables.widget_key[0]).toMatchObject({ last_used_at: null });
    expect(c.tables.widget_key[0].key).not.toBe(read(first).tables.widget_key[0].key);
    expect(await count(t.databaseUrl, 'knowledge_base')).toBe(4);
  });

  it('restores an archive written before KB names were unique, renaming the later of two KBs named alike', async () => {
    const old = read(first);
    const kbs = old.tables.knowledge_base as { id: string; name: string; created_at: string }[];
    // 'shop' was created before 'returns'; an older Wendao let 'returns' be renamed 'SHOP'.
    const later = kbs.find((k) => k.name === 'returns')!;
    later.name = 'SHOP';
    const file = join(dir, 'named-alike.json.gz');
    writeFileSync(file, gzipSync(JSON.stringify(old)));
    const out = await importCommand(file, { asNewOrganisation: 'Old backup' }, config(t.databaseUrl));
    expect(out.exitCode).toBe(0);
    expect(out.output).toContain(
      'knowledge bases the archive named alike (names are now unique per organisation), renamed: "SHOP" -> "SHOP (2)"',
    );
    const copyId = /\(([0-9a-f-]{36})\)/.exec(out.output)![1];
    const c = new Client({ connectionString: t.databaseUrl });
    await c.connect();
    try {
      const { rows } = await c.query(
        'SELECT name FROM knowledge_base WHERE organisation_id = $1 ORDER BY created_at',
        [copyId],
      );
      expect(rows.map((r) => r.name)).toEqual(['shop', 'SHOP (2)']);
    } finally {
      await c.end();
    }
  });

  it('logs its summary as JSON entries with WENDAO_LOG_FORMAT=json (a cron job whose output is shipped)', async () => {
    // 'exported organisation …', the warning about password hashes and the 'not carried' line were
    // plain lines on stdout under JSON logs.
    const written = await capturedOutput(
      () =>
        run(
          [
            'node',
            'wendao',
            'export',
            '--organisation',
            t.organisationId,
            '--out',
            join(dir, 'json-logs.json.gz'),
          ],
          { DATABASE_URL: t.databaseUrl, WENDAO_LOG_FORMAT: 'json' },
        ),
      { console: true },
    );
    expect(process.exitCode).toBe(0);
    const entries = jsonLogEntries(written);
    expect(entries.filter((e) => e.context === 'Export').map((e) => e.message)).toEqual([
      expect.stringMatching(/^exported organisation /),
      expect.stringMatching(/password hashes/),
      expect.stringMatching(/^not carried: API keys/),
    ]);
  });
});
