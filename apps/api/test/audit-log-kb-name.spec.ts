/**
 * Migration 1767200000000 on an audit log written before rows kept their KB's name: a row of a KB
 * that still exists gets its name; a row of a KB since deleted gets the latest name the KB's own rows
 * recorded (its creation, settings, deletion or rename on upgrade), whichever row it is; a KB whose
 * rows never recorded a name, and a row of the organisation itself, stay null.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAndMigrate } from '../src/database/connect-and-migrate';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createTestDatabase } from './support/test-app';

const MIGRATION = 'AuditLogKbName1767200000000';

describe('migration 1767200000000: audit rows name their KB', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    const options = dataSourceOptions(database.url);
    const before = await connectAndMigrate({
      ...options,
      migrations: (options.migrations as { name: string }[]).filter((m) => m.name !== MIGRATION),
    } as typeof options);
    await before.destroy();
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  it('fills kb_name from the KB, else from the deleted KB’s own rows', async () => {
    const org = (await db.query(`INSERT INTO organisation (name) VALUES ('shop') RETURNING id`)).rows[0].id;
    const live = (
      await db.query(
        `INSERT INTO knowledge_base (organisation_id, name, language) VALUES ($1, '售后客服', 'zh') RETURNING id`,
        [org],
      )
    ).rows[0].id;
    const gone = randomUUID();
    const nameless = randomUUID();
    const row = (action: string, kbId: string | null, before: unknown, after: unknown) =>
      db.query(
        `INSERT INTO audit_log (organisation_id, actor, action, kb_id, before, after)
         VALUES ($1, 'owner@example.com', $2, $3, $4, $5) RETURNING id`,
        [org, action, kbId, JSON.stringify(before), JSON.stringify(after)],
      );
    await row('POST /api/kbs', gone, null, { id: gone, name: 'Old FAQ' });
    await row('POST /api/kbs/:id/faqs', gone, null, { question: 'Fees?', name: 'not the KB' });
    await row('PATCH /api/kbs/:id', gone, { name: 'Old FAQ' }, { name: 'Older FAQ' });
    await row('PATCH /api/kbs/:id/widget-keys/:keyId', gone, { name: 'site key' }, { name: 'site key 2' });
    await row('PATCH /api/kbs/:id/faqs/:faqId', live, { answer: 'a' }, { answer: 'b' });
    await row('DELETE /api/kbs/:id/faqs/:faqId', nameless, { question: 'Q?' }, null);
    await row('POST /api/organisations/:orgId/api-keys', null, null, { name: 'shop key' });

    const options = dataSourceOptions(database.url);
    const after = await connectAndMigrate(options);
    await after.destroy();

    const rows = await db.query(`SELECT action, kb_name FROM audit_log ORDER BY id`);
    expect(rows.rows.map((r) => [r.action, r.kb_name])).toEqual([
      ['POST /api/kbs', 'Older FAQ'],
      ['POST /api/kbs/:id/faqs', 'Older FAQ'],
      ['PATCH /api/kbs/:id', 'Older FAQ'],
      ['PATCH /api/kbs/:id/widget-keys/:keyId', 'Older FAQ'],
      ['PATCH /api/kbs/:id/faqs/:faqId', '售后客服'],
      ['DELETE /api/kbs/:id/faqs/:faqId', null],
      ['POST /api/organisations/:orgId/api-keys', null],
    ]);
  });
});
