/**
 * document.faq_count held the number of FAQ entries an upload brought and was never kept current:
 * deleting an entry left it stale, and the audit log's record of a deleted document read it. Every
 * reader now counts the document's faq_entry rows, so the column goes. Nothing is lost: the upload's
 * own count stays on its job (ingestion_job.faq_count), and down() fills the column again with the
 * entries each document holds.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class DropDocumentFaqCount1767000000000 implements MigrationInterface {
  name = 'DropDocumentFaqCount1767000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE document DROP COLUMN faq_count`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE document ADD COLUMN faq_count integer NOT NULL DEFAULT 0`);
    await q.query(
      `UPDATE document d SET faq_count = c.n
         FROM (SELECT document_id, count(*)::int AS n FROM faq_entry
                WHERE document_id IS NOT NULL GROUP BY document_id) c
        WHERE c.document_id = d.id`,
    );
  }
}
