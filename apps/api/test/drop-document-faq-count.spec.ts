/**
 * Migration 1767000000000 drops document.faq_count, the upload's count that went stale when an
 * entry was deleted: the documents list and the audit log count the entries instead. `down` brings
 * the column back holding the entries each document has, so going back loses nothing either.
 */
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createKb, startTestApp, uploadAndWait, type TestApp } from './support/test-app';

const MIGRATION = 'DropDocumentFaqCount1767000000000';

describe('migration 1767000000000: document.faq_count dropped', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('counts the entries a document holds now, and down() restores the column with that count', async () => {
    const kbId = await createKb(t.api, 'counted', 'en');
    const [job] = await uploadAndWait(t.api, kbId, [
      {
        name: 'faq.csv',
        content: 'question,answer\nFees?,None.\nRefunds?,Within 7 days.\nHours?,9 to 5.\n',
        type: 'text/csv',
      },
    ]);
    expect(job.counts.faqs).toBe(3);
    const faqs = (await t.api.get(`/api/kbs/${kbId}/faqs`).expect(200)).body as { id: string }[];
    await t.api.delete(`/api/kbs/${kbId}/faqs/${faqs[0].id}`).expect(204);
    const docs = (await t.api.get(`/api/kbs/${kbId}/documents`).expect(200)).body;
    expect(docs).toMatchObject([{ fileName: 'faq.csv', faqCount: 2 }]);
    await t.stop();

    const options = dataSourceOptions(t.databaseUrl);
    const db = await new DataSource({ ...options, migrationsRun: false }).initialize();
    try {
      const column = () =>
        db.query(
          `SELECT 1 FROM information_schema.columns WHERE table_name = 'document' AND column_name = 'faq_count'`,
        );
      expect(await column()).toEqual([]);
      // Undo the later migrations, then this one.
      const last = async () =>
        ((await db.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1')) as { name: string }[])[0]
          .name;
      while ((await last()) !== MIGRATION) await db.undoLastMigration({ transaction: 'all' });
      await db.undoLastMigration({ transaction: 'all' });
      expect(await db.query('SELECT file_name, faq_count FROM document WHERE kb_id = $1', [kbId])).toEqual([
        { file_name: 'faq.csv', faq_count: 2 },
      ]);
      await db.runMigrations({ transaction: 'all' });
      expect(await column()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
