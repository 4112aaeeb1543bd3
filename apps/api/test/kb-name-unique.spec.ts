/**
 * Migration 1767100000000 on a database that older versions let hold KBs named alike in one
 * organisation: it does not fail, keeps the oldest of each name, gives each later one the first free
 * "name (n)" as an import does (its content and id untouched), says so in the organisation's audit
 * log, and leaves other organisations' names alone; afterwards the database refuses a name twice.
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAndMigrate } from '../src/database/connect-and-migrate';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createTestDatabase } from './support/test-app';

const MIGRATION = 'KbNameUnique1767100000000';

describe('migration 1767100000000: KB names unique per organisation', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let db: Client;
  let shop: string;
  let other: string;

  const kb = async (org: string, name: string, day: number): Promise<string> =>
    (
      await db.query(
        `INSERT INTO knowledge_base (organisation_id, name, language, created_at)
         VALUES ($1, $2, 'zh', $3) RETURNING id`,
        [org, name, `2026-0${day}-01T00:00:00Z`],
      )
    ).rows[0].id;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The schema as it was before the migration: every migration but this one.
    const options = dataSourceOptions(database.url);
    const before = await connectAndMigrate({
      ...options,
      migrations: (options.migrations as { name: string }[]).filter((m) => m.name !== MIGRATION),
    } as typeof options);
    await before.destroy();
    db = new Client({ connectionString: database.url });
    await db.connect();
    shop = (await db.query(`INSERT INTO organisation (name) VALUES ('shop') RETURNING id`)).rows[0].id;
    other = (await db.query(`INSERT INTO organisation (name) VALUES ('other') RETURNING id`)).rows[0].id;
  });

  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  it('renames the later KBs named alike to the first free "name (n)", says so, then refuses duplicates', async () => {
    // Created out of order on purpose: the oldest keeps the name whatever the insertion order.
    const later = await kb(shop, 'returns', 3);
    const oldest = await kb(shop, 'Returns', 1);
    const taken = await kb(shop, 'Returns (2)', 2);
    const latest = await kb(shop, 'RETURNS', 4);
    const single = await kb(shop, 'Shipping', 1);
    const elsewhere = await kb(other, 'Returns', 5);
    await db.query(
      `INSERT INTO faq_entry (kb_id, question, answer, ordinal) VALUES ($1, '退货?', '七天内。', 0)`,
      [later],
    );

    await (await connectAndMigrate(dataSourceOptions(database.url))).destroy();

    const names = Object.fromEntries(
      (await db.query('SELECT id, name FROM knowledge_base')).rows.map((r) => [r.id, r.name]),
    );
    expect(names).toEqual({
      [oldest]: 'Returns',
      [taken]: 'Returns (2)',
      [later]: 'returns (3)',
      [latest]: 'RETURNS (4)',
      [single]: 'Shipping',
      [elsewhere]: 'Returns',
    });
    // The renamed KB keeps its content.
    expect((await db.query('SELECT question FROM faq_entry WHERE kb_id = $1', [later])).rows).toEqual([
      { question: '退货?' },
    ]);
    // Its owners can read why in the audit log.
    const audit = (
      await db.query(
        `SELECT organisation_id, actor, action, kb_id, target_id, before, after FROM audit_log ORDER BY id`,
      )
    ).rows;
    expect(audit).toEqual([
      {
        organisation_id: shop,
        actor: 'Wendao upgrade',
        action: `upgrade ${MIGRATION}`,
        kb_id: later,
        target_id: later,
        before: { name: 'returns' },
        after: { name: 'returns (3)' },
      },
      {
        organisation_id: shop,
        actor: 'Wendao upgrade',
        action: `upgrade ${MIGRATION}`,
        kb_id: latest,
        target_id: latest,
        before: { name: 'RETURNS' },
        after: { name: 'RETURNS (4)' },
      },
    ]);

    await expect(kb(shop, 'SHIPPING', 6)).rejects.toMatchObject({
      code: '23505',
      constraint: 'knowledge_base_organisation_name_key',
    });
    await kb(other, 'Shipping', 6);
  });
});
