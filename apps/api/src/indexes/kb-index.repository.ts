/**
 * The PostgreSQL reads and writes behind index builds: all enabled FAQ entries and all passages
 * of a KB with their stored embeddings, and write-back of embeddings computed during a rebuild.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { KbCalibration, KbLanguage, KnowledgeBase } from '../knowledge-bases/knowledge-base.entity';

/** A KB's version and language, read with the content they belong to. */
export interface KbHead {
  version: number;
  language: KbLanguage;
}

const KB_HEAD = 'SELECT version, language FROM knowledge_base WHERE id = $1';
const CALIBRATION_LOCK = `SELECT pg_advisory_lock(hashtext('kb_calibration:' || $1::text))`;

export interface FaqRow {
  seq: number;
  id: string;
  document_id: string | null;
  question: string;
  alternates: string[];
  answer: string;
}

export interface PassageRow {
  seq: number;
  id: string;
  document_id: string;
  file_name: string;
  ordinal: number;
  text: string;
  start_offset: number;
  end_offset: number;
  embedding: Buffer | null;
  embedding_model: string | null;
}

@Injectable()
export class KbIndexRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async kbVersion(kbId: string): Promise<number | null> {
    return (await this.kbHead(kbId))?.version ?? null;
  }

  /** The KB's version and language (which picks the encoder its index holds vectors of); null when gone. */
  async kbHead(kbId: string): Promise<KbHead | null> {
    const rows: KbHead[] = await this.db.query(KB_HEAD, [kbId]);
    return rows[0] ?? null;
  }

  /** What a KB's index must hold: its enabled FAQ entries and its passages (checked when a saved index loads). */
  async itemCounts(kbId: string): Promise<{ faqs: number; passages: number }> {
    const [row]: { faqs: number; passages: number }[] = await this.db.query(
      `SELECT (SELECT count(*) FROM faq_entry WHERE kb_id = $1 AND enabled)::int AS faqs,
              (SELECT count(*) FROM passage WHERE kb_id = $1)::int AS passages`,
      [kbId],
    );
    return row;
  }

  /** What calibrating a KB needs to know of it; null when it no longer exists. */
  async calibrationInputs(
    kbId: string,
  ): Promise<Pick<KnowledgeBase, 'version' | 'language' | 'settings' | 'calibration'> | null> {
    const rows: Pick<KnowledgeBase, 'version' | 'language' | 'settings' | 'calibration'>[] =
      await this.db.query(
        'SELECT version, language, settings, calibration FROM knowledge_base WHERE id = $1',
        [kbId],
      );
    return rows[0] ?? null;
  }

  async calibration(kbId: string): Promise<KbCalibration | null> {
    const rows: { calibration: KbCalibration | null }[] = await this.db.query(
      'SELECT calibration FROM knowledge_base WHERE id = $1',
      [kbId],
    );
    return rows[0]?.calibration ?? null;
  }

  /** Stores a calibration unless a newer KB version's is already there. */
  async storeCalibration(kbId: string, calibration: KbCalibration): Promise<void> {
    await this.db.query(
      `UPDATE knowledge_base SET calibration = $2
       WHERE id = $1 AND (calibration IS NULL OR (calibration->>'kbVersion')::int <= $3)`,
      [kbId, JSON.stringify(calibration), calibration.kbVersion],
    );
  }

  /** Every KB (or those of `organisations` when given) and its version. */
  async kbIds(organisations: string[] = []): Promise<{ id: string; version: number }[]> {
    if (organisations.length === 0)
      return this.db.query('SELECT id, version FROM knowledge_base ORDER BY created_at');
    return this.db.query(
      'SELECT id, version FROM knowledge_base WHERE organisation_id = ANY($1::uuid[]) ORDER BY created_at',
      [organisations],
    );
  }

  /** The organisation a KB belongs to; null when the KB no longer exists. */
  async kbOrganisation(kbId: string): Promise<string | null> {
    const rows: { organisation_id: string }[] = await this.db.query(
      'SELECT organisation_id FROM knowledge_base WHERE id = $1',
      [kbId],
    );
    return rows[0]?.organisation_id ?? null;
  }

  /**
   * A consistent snapshot of the KB's content and the version it belongs to (one REPEATABLE READ
   * transaction, so a job committing meanwhile cannot tear it).
   */
  async snapshot(
    kbId: string,
  ): Promise<{ version: number; language: KbLanguage; faqs: FaqRow[]; passages: PassageRow[] } | null> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const kb: KbHead[] = await m.query(KB_HEAD, [kbId]);
      if (kb.length === 0) return null;
      const faqs: FaqRow[] = await m.query(
        `SELECT seq, id, document_id, question, alternates, answer FROM faq_entry
         WHERE kb_id = $1 AND enabled ORDER BY seq`,
        [kbId],
      );
      const passages: PassageRow[] = await m.query(
        `SELECT p.seq, p.id, p.document_id, d.file_name, p.ordinal, p.text, p.start_offset, p.end_offset,
                p.embedding, p.embedding_model
         FROM passage p JOIN document d ON d.id = p.document_id
         WHERE p.kb_id = $1 ORDER BY p.seq`,
        [kbId],
      );
      return { ...kb[0], faqs, passages };
    });
  }

  /**
   * What an index holding the passages `have` needs to reach the KB's current version, from one
   * REPEATABLE READ snapshot: the version, every enabled FAQ entry (small: compared field by field),
   * the seqs of every passage (passages never change; they come and go with their document) and the
   * full rows of those the index lacks. Null when the KB no longer exists.
   */
  async delta(
    kbId: string,
    have: ReadonlySet<number>,
  ): Promise<{
    version: number;
    language: KbLanguage;
    faqs: FaqRow[];
    passageSeqs: number[];
    newPassages: PassageRow[];
  } | null> {
    return this.db.transaction('REPEATABLE READ', async (m) => {
      const kb: KbHead[] = await m.query(KB_HEAD, [kbId]);
      if (kb.length === 0) return null;
      const faqs: FaqRow[] = await m.query(
        `SELECT seq, id, document_id, question, alternates, answer FROM faq_entry
         WHERE kb_id = $1 AND enabled ORDER BY seq`,
        [kbId],
      );
      const seqs: { seq: number }[] = await m.query('SELECT seq FROM passage WHERE kb_id = $1 ORDER BY seq', [
        kbId,
      ]);
      const passageSeqs = seqs.map((row) => row.seq);
      const missing = passageSeqs.filter((seq) => !have.has(seq));
      const newPassages: PassageRow[] =
        missing.length === 0
          ? []
          : await m.query(
              `SELECT p.seq, p.id, p.document_id, d.file_name, p.ordinal, p.text, p.start_offset, p.end_offset,
                      p.embedding, p.embedding_model
               FROM passage p JOIN document d ON d.id = p.document_id
               WHERE p.kb_id = $1 AND p.seq = ANY($2::int[]) ORDER BY p.seq`,
              [kbId, missing],
            );
      return { ...kb[0], faqs, passageSeqs, newPassages };
    });
  }

  /**
   * Runs `work` holding the KB's calibration lock: a session advisory lock on a connection of its own
   * (not the pool's: it is held for the whole calibration, tens of seconds on a large KB, and waited
   * for as long), released when `work` ends or the process dies. One process calibrates a KB version;
   * the others wait here, then find its result stored.
   */
  async withCalibrationLock<T>(kbId: string, work: () => Promise<T>): Promise<T> {
    const client = new Client({
      connectionString: (this.db.options as { url?: string }).url,
      application_name: 'wendao-kb-calibration',
    });
    client.on('error', () => undefined); // a lost connection fails the query below, or ends the lock
    await client.connect();
    try {
      await client.query(CALIBRATION_LOCK, [kbId]);
      return await work();
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Stores embeddings computed for passages that had none (or another model's). */
  async storeEmbeddings(rows: { id: string; embedding: Buffer }[], modelId: string): Promise<void> {
    if (rows.length === 0) return;
    await this.db.query(
      `UPDATE passage p SET embedding = u.embedding, embedding_model = $3
       FROM unnest($1::uuid[], $2::bytea[]) AS u(id, embedding) WHERE p.id = u.id`,
      [rows.map((r) => r.id), rows.map((r) => r.embedding), modelId],
    );
  }
}
