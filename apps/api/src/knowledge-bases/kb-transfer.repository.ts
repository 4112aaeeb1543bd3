/**
 * A whole KB's content in and out: the export reads documents, passages and FAQ entries of one KB
 * in one REPEATABLE READ snapshot; the import writes a new KB of an organisation with all its
 * content in one transaction, so a bad file leaves nothing behind.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ExportedDocumentDto, ExportedFaqDto, ExportedKnowledgeBaseDto } from './kb-export.dto';
import { isKbNameTaken } from './knowledge-base.repository';

export interface KbContentRows {
  documents: {
    id: string;
    file_name: string;
    type: string;
    mime: string | null;
    sha256: string;
    size_bytes: number;
  }[];
  passages: { document_id: string; text: string; start_offset: number; end_offset: number }[];
  faqs: {
    question: string;
    alternates: string[];
    answer: string;
    tags: string[];
    enabled: boolean;
    document_id: string | null;
  }[];
}

export interface KbImport {
  knowledgeBase: ExportedKnowledgeBaseDto;
  documents: ExportedDocumentDto[];
  /** `document` is the sha256 of one of `documents`, or null. */
  faqs: ExportedFaqDto[];
}

@Injectable()
export class KbTransferRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The KB's documents (in creation order), passages and FAQ entries (in KB order), one snapshot. */
  content(kbId: string): Promise<KbContentRows> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const documents: KbContentRows['documents'] = await m.query(
        'SELECT id, file_name, type, mime, sha256, size_bytes FROM document WHERE kb_id = $1 ORDER BY created_at, sha256',
        [kbId],
      );
      const passages: KbContentRows['passages'] = await m.query(
        'SELECT document_id, text, start_offset, end_offset FROM passage WHERE kb_id = $1 ORDER BY document_id, ordinal',
        [kbId],
      );
      const faqs: KbContentRows['faqs'] = await m.query(
        `SELECT question, alternates, answer, tags, enabled, document_id FROM faq_entry
         WHERE kb_id = $1 ORDER BY ordinal, created_at, seq`,
        [kbId],
      );
      return { documents, passages, faqs };
    });
  }

  /**
   * Creates the KB in the organisation with all its content, in one transaction; its id. A name
   * another KB of the organisation has (in any case, as KnowledgeBaseRepository.nameTaken compares)
   * becomes the first free "name (2)", "name (3)", … A KB of the name it chose created by another
   * request between its read and its insert (the unique index refuses the insert) makes it choose again.
   */
  async import(organisationId: string, data: KbImport): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.importOnce(organisationId, data);
      } catch (err) {
        if (!isKbNameTaken(err) || attempt >= 5) throw err;
      }
    }
  }

  private importOnce(organisationId: string, data: KbImport): Promise<string> {
    return this.db.transaction(async (m) => {
      const k = data.knowledgeBase;
      const taken: { name: string }[] = await m.query(
        `SELECT name FROM knowledge_base
         WHERE organisation_id = $1 AND left(lower(name), length(lower($2))) = lower($2)`,
        [organisationId, k.name],
      );
      const name = freeName(k.name, new Set(taken.map((r) => r.name.toLowerCase())));
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO knowledge_base (organisation_id, name, language, faq_threshold, answer_threshold, settings)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
        [
          organisationId,
          name,
          k.language,
          k.faqThreshold ?? null,
          k.answerThreshold ?? null,
          JSON.stringify(k.settings ?? {}),
        ],
      );
      const docIds = new Map<string, string>();
      for (const doc of data.documents) {
        const [row]: { id: string }[] = await m.query(
          // clock_timestamp(): distinct creation times keep the documents' order for the next export.
          `INSERT INTO document (kb_id, file_name, type, mime, sha256, size_bytes, passage_count, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, clock_timestamp()) RETURNING id`,
          [id, doc.fileName, doc.type, doc.mime ?? null, doc.sha256, doc.sizeBytes, doc.passages.length],
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
  }
}

/** `name`, or the first "name (n)" from 2 up whose lower case is not in `taken` (lower-cased names). */
export function freeName(name: string, taken: ReadonlySet<string>): string {
  if (!taken.has(name.toLowerCase())) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name} (${n})`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}
