/**
 * The document and passage tables' queries, and the FAQ entries an ingested file brings with it.
 * Every query takes the KB id and filters on it; the ingestion writes run in the caller's
 * transaction, the one that also marks the job succeeded and publishes the KB version.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, ILike, type EntityManager } from 'typeorm';
import { containsPattern } from '../common/list-query.dto';
import { normalizedQuestionSql } from '../faqs/faq-entry.repository';
import { Passage } from './passage.entity';
import { SourceDocument } from './source-document.entity';

export type PassageView = Pick<
  Passage,
  'id' | 'documentId' | 'ordinal' | 'text' | 'start' | 'end' | 'embeddingModel'
>;

export interface NewDocument {
  fileName: string;
  type: string;
  mime: string | null;
  sha256: string;
  sizeBytes: number;
  passageCount: number;
}

/**
 * A listed document with `faqCount`, the number of its FAQ entries the KB holds now (an entry
 * deleted from the FAQ list no longer counts; the upload's own count is its job's).
 */
export type DocumentView = SourceDocument & { faqCount: number };

export interface NewFaq {
  question: string;
  alternates: string[];
  answer: string;
  tags: string[];
  enabled: boolean;
}

export interface NewPassage {
  text: string;
  start: number;
  end: number;
  /** float4 bytes, or null when no encoder ran. */
  embedding: Buffer | null;
}

/** An inserted row's index key and its place in the file. */
export interface InsertedRow {
  id: string;
  seq: number;
  ordinal: number;
}

@Injectable()
export class DocumentRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Runs `work` in one transaction; the repository's writes take its manager. */
  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** The KB's documents, oldest first, with their entries counted; `q` matches the file name. */
  async page(
    kbId: string,
    query: { q?: string; limit?: number; offset?: number },
  ): Promise<[DocumentView[], number]> {
    const [docs, total] = await this.db.getRepository(SourceDocument).findAndCount({
      where: { kbId, ...(query.q ? { fileName: ILike(containsPattern(query.q)) } : {}) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    if (docs.length === 0) return [[], total];
    const rows: { documentId: string; count: number }[] = await this.db.query(
      `SELECT document_id AS "documentId", count(*)::int AS count FROM faq_entry
       WHERE kb_id = $1 AND document_id = ANY($2::uuid[]) GROUP BY document_id`,
      [kbId, docs.map((d) => d.id)],
    );
    const current = new Map(rows.map((r) => [r.documentId, r.count]));
    return [docs.map((doc) => ({ ...doc, faqCount: current.get(doc.id) ?? 0 })), total];
  }

  byId(kbId: string, docId: string): Promise<SourceDocument | null> {
    return this.db.getRepository(SourceDocument).findOneBy({ id: docId, kbId });
  }

  /** The KB's document with these bytes, if any (unique (kb_id, sha256)). */
  async idBySha256(
    kbId: string,
    sha256: string,
    m: EntityManager = this.db.manager,
  ): Promise<string | undefined> {
    const rows: { id: string }[] = await m.query('SELECT id FROM document WHERE kb_id = $1 AND sha256 = $2', [
      kbId,
      sha256,
    ]);
    return rows[0]?.id;
  }

  /** One document's passages in order, without their embeddings. */
  async passages(
    kbId: string,
    docId: string,
    page: { limit?: number; offset?: number },
  ): Promise<[PassageView[], number]> {
    const [rows, total] = await this.db.getRepository(Passage).findAndCount({
      where: { kbId, documentId: docId },
      order: { ordinal: 'ASC' },
      select: ['id', 'documentId', 'ordinal', 'text', 'start', 'end', 'embeddingModel'],
      take: page.limit,
      skip: page.offset,
    });
    const items = rows.map((p) => ({
      id: p.id,
      documentId: p.documentId,
      ordinal: p.ordinal,
      text: p.text,
      start: p.start,
      end: p.end,
      embeddingModel: p.embeddingModel,
    }));
    return [items, total];
  }

  /** Deletes the document; its passages and FAQ entries go with it (foreign keys). False when absent. */
  async delete(m: EntityManager, kbId: string, docId: string): Promise<boolean> {
    const result = await m.getRepository(SourceDocument).delete({ id: docId, kbId });
    return Boolean(result.affected);
  }

  /** Inserts the document row; undefined when the KB already holds these bytes (a concurrent upload won). */
  async insert(m: EntityManager, kbId: string, doc: NewDocument): Promise<string | undefined> {
    const [row]: { id: string }[] = await m.query(
      `INSERT INTO document (kb_id, file_name, type, mime, sha256, size_bytes, passage_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (kb_id, sha256) DO NOTHING RETURNING id`,
      [kbId, doc.fileName, doc.type, doc.mime, doc.sha256, doc.sizeBytes, doc.passageCount],
    );
    return row?.id;
  }

  /**
   * Appends a file's FAQ entries after the KB's last ordinal, under the same per-KB advisory lock
   * the faq_entry_ordinal trigger takes, so concurrent writers number in turn. RETURNING order is
   * not guaranteed to follow the SELECT: the rows come back sorted by ordinal.
   */
  /**
   * The questions of the KB's enabled FAQ entries among `normalized` (questions normalised as
   * `normalizeQuestion` normalises them), as the entries have them, with the file each came from
   * (null for an entry added by hand), oldest entry first.
   */
  async enabledQuestionsAmong(
    kbId: string,
    normalized: string[],
  ): Promise<{ question: string; document: string | null }[]> {
    if (normalized.length === 0) return [];
    return this.db.query(
      `SELECT f.question, d.file_name AS document FROM faq_entry f LEFT JOIN document d ON d.id = f.document_id
       WHERE f.kb_id = $1 AND f.enabled AND ${normalizedQuestionSql('f.question')} = ANY($2::text[])
       ORDER BY f.ordinal`,
      [kbId, normalized],
    );
  }

  async insertFaqs(m: EntityManager, kbId: string, docId: string, faqs: NewFaq[]): Promise<InsertedRow[]> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('faq_entry_ordinal:' || $1::text))`, [kbId]);
    const [{ next }]: { next: number }[] = await m.query(
      'SELECT COALESCE(max(ordinal) + 1, 0)::int AS next FROM faq_entry WHERE kb_id = $1',
      [kbId],
    );
    if (faqs.length === 0) return [];
    const rows: InsertedRow[] = await m.query(
      `INSERT INTO faq_entry (kb_id, document_id, question, alternates, answer, tags, enabled, ordinal)
       SELECT $1, $2, u.e->>'question', ARRAY(SELECT json_array_elements_text(u.e->'alternates')),
              u.e->>'answer', ARRAY(SELECT json_array_elements_text(u.e->'tags')),
              (u.e->>'enabled')::boolean, $3 + u.ord - 1
       FROM json_array_elements($4::json) WITH ORDINALITY AS u(e, ord)
       ORDER BY u.ord
       RETURNING id, seq, ordinal`,
      [kbId, docId, next, JSON.stringify(faqs)],
    );
    return rows.sort((a, b) => a.ordinal - b.ordinal);
  }

  /** Inserts a document's passages, ordinals 0.. in the given order; rows come back sorted by ordinal. */
  async insertPassages(
    m: EntityManager,
    kbId: string,
    docId: string,
    passages: NewPassage[],
    embeddingModel: string | null,
  ): Promise<InsertedRow[]> {
    if (passages.length === 0) return [];
    const rows: InsertedRow[] = await m.query(
      `INSERT INTO passage (kb_id, document_id, ordinal, text, start_offset, end_offset, embedding, embedding_model)
       SELECT $1, $2, u.ordinal, u.text, u.start_offset, u.end_offset, u.embedding, $8
       FROM unnest($3::int[], $4::text[], $5::int[], $6::int[], $7::bytea[])
         AS u(ordinal, text, start_offset, end_offset, embedding)
       ORDER BY u.ordinal
       RETURNING id, seq, ordinal`,
      [
        kbId,
        docId,
        passages.map((_, i) => i),
        passages.map((p) => p.text),
        passages.map((p) => p.start),
        passages.map((p) => p.end),
        passages.map((p) => p.embedding),
        embeddingModel,
      ],
    );
    return rows.sort((a, b) => a.ordinal - b.ordinal);
  }
}
