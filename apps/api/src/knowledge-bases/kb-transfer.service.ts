/**
 * Whole-KB export and import. Import writes the new KB and all its content in one transaction,
 * so a bad file leaves nothing behind; its index is built (and embeddings computed) on first use.
 */
import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, KbExportDto } from './kb-export.dto';
import { KnowledgeBasesService, type KnowledgeBaseView } from './knowledge-bases.service';

@Injectable()
export class KbTransferService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly kbs: KnowledgeBasesService,
  ) {}

  async export(kbId: string): Promise<KbExportDto> {
    const kb = await this.kbs.require(kbId);
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const docs: {
        id: string;
        file_name: string;
        type: string;
        mime: string | null;
        sha256: string;
        size_bytes: number;
      }[] = await m.query(
        'SELECT id, file_name, type, mime, sha256, size_bytes FROM document WHERE kb_id = $1 ORDER BY created_at, sha256',
        [kbId],
      );
      const passages: { document_id: string; text: string; start_offset: number; end_offset: number }[] =
        await m.query(
          'SELECT document_id, text, start_offset, end_offset FROM passage WHERE kb_id = $1 ORDER BY document_id, ordinal',
          [kbId],
        );
      const faqs: {
        question: string;
        alternates: string[];
        answer: string;
        tags: string[];
        enabled: boolean;
        document_id: string | null;
      }[] = await m.query(
        `SELECT question, alternates, answer, tags, enabled, document_id FROM faq_entry
         WHERE kb_id = $1 ORDER BY ordinal, created_at, seq`,
        [kbId],
      );
      const shaOf = new Map(docs.map((d) => [d.id, d.sha256]));
      return {
        format: EXPORT_FORMAT,
        formatVersion: EXPORT_FORMAT_VERSION,
        knowledgeBase: {
          name: kb.name,
          language: kb.language,
          faqThreshold: kb.faqThreshold,
          answerThreshold: kb.answerThreshold,
          settings: kb.settings,
        },
        documents: docs.map((d) => ({
          fileName: d.file_name,
          type: d.type,
          mime: d.mime,
          sha256: d.sha256,
          sizeBytes: d.size_bytes,
          passages: passages
            .filter((p) => p.document_id === d.id)
            .map((p) => ({ text: p.text, start: p.start_offset, end: p.end_offset })),
        })),
        faqs: faqs.map((f) => ({
          question: f.question,
          alternates: f.alternates,
          answer: f.answer,
          tags: f.tags,
          enabled: f.enabled,
          document: f.document_id ? shaOf.get(f.document_id)! : null,
        })),
      };
    });
  }

  async import(data: KbExportDto, organisationId: string): Promise<KnowledgeBaseView> {
    const shas = new Set<string>();
    for (const doc of data.documents) {
      if (shas.has(doc.sha256))
        throw new BadRequestException(`documents: sha256 ${doc.sha256} appears twice`);
      shas.add(doc.sha256);
      for (const p of doc.passages)
        if (p.end < p.start)
          throw new BadRequestException(`${doc.fileName}: a passage ends before it starts`);
    }
    for (const faq of data.faqs)
      if (faq.document && !shas.has(faq.document))
        throw new BadRequestException(
          `faq "${faq.question}" refers to document ${faq.document}, which is not in the file`,
        );

    const kbId = await this.db.transaction(async (m) => {
      const k = data.knowledgeBase;
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO knowledge_base (organisation_id, name, language, faq_threshold, answer_threshold, settings)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          organisationId,
          k.name,
          k.language,
          k.faqThreshold ?? null,
          k.answerThreshold ?? null,
          JSON.stringify(k.settings ?? {}),
        ],
      );
      const docIds = new Map<string, string>();
      for (const doc of data.documents) {
        const faqCount = data.faqs.filter((f) => f.document === doc.sha256).length;
        const [row]: { id: string }[] = await m.query(
          // clock_timestamp(): distinct creation times keep the documents' order for the next export.
          `INSERT INTO document (kb_id, file_name, type, mime, sha256, size_bytes, faq_count, passage_count, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, clock_timestamp()) RETURNING id`,
          [
            id,
            doc.fileName,
            doc.type,
            doc.mime ?? null,
            doc.sha256,
            doc.sizeBytes,
            faqCount,
            doc.passages.length,
          ],
        );
        docIds.set(doc.sha256, row.id);
        if (doc.passages.length)
          await m.query(
            `INSERT INTO passage (kb_id, document_id, ordinal, text, start_offset, end_offset)
             SELECT $1, $2, u.ord - 1, u.text, u.start_offset, u.end_offset
             FROM unnest($3::text[], $4::int[], $5::int[]) WITH ORDINALITY AS u(text, start_offset, end_offset, ord)`,
            [
              id,
              row.id,
              doc.passages.map((p) => p.text),
              doc.passages.map((p) => p.start),
              doc.passages.map((p) => p.end),
            ],
          );
      }
      if (data.faqs.length)
        await m.query(
          `INSERT INTO faq_entry (kb_id, document_id, question, alternates, answer, tags, enabled, ordinal)
           SELECT $1, (u.e->>'document_id')::uuid, u.e->>'question',
                  ARRAY(SELECT json_array_elements_text(u.e->'alternates')), u.e->>'answer',
                  ARRAY(SELECT json_array_elements_text(u.e->'tags')), (u.e->>'enabled')::boolean, u.ord - 1
           FROM json_array_elements($2::json) WITH ORDINALITY AS u(e, ord)
           ORDER BY u.ord`,
          [
            id,
            JSON.stringify(
              data.faqs.map((f) => ({
                question: f.question,
                alternates: f.alternates,
                answer: f.answer,
                tags: f.tags,
                enabled: f.enabled,
                document_id: f.document ? docIds.get(f.document) : null,
              })),
            ),
          ],
        );
      return id;
    });
    return this.kbs.get(kbId);
  }
}
