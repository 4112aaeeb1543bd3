/**
 * Initial schema: knowledge bases, FAQ entries, documents, passages (embeddings as float4 bytes)
 * and ingestion jobs. Later issues add conversations, users and intents in their own migrations.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    // FAQ entries and passages share one integer sequence: the retriever indexes key by 32-bit
    // integers, and one KB's BM25 index holds both kinds.
    await q.query(`CREATE SEQUENCE index_item_seq AS integer`);
    await q.query(`
      CREATE TABLE knowledge_base (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        language text NOT NULL CHECK (language IN ('zh', 'en', 'mixed')),
        faq_threshold real CHECK (faq_threshold BETWEEN 0 AND 1),
        answer_threshold real CHECK (answer_threshold BETWEEN 0 AND 1),
        settings jsonb NOT NULL DEFAULT '{}'::jsonb,
        version integer NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE document (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        file_name text NOT NULL,
        type text NOT NULL,
        mime text,
        sha256 char(64) NOT NULL,
        size_bytes integer NOT NULL,
        status text NOT NULL DEFAULT 'ready',
        faq_count integer NOT NULL DEFAULT 0,
        passage_count integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT document_kb_sha256_unique UNIQUE (kb_id, sha256)
      )`);
    await q.query(`
      CREATE TABLE faq_entry (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        document_id uuid REFERENCES document(id) ON DELETE CASCADE,
        seq integer NOT NULL UNIQUE DEFAULT nextval('index_item_seq'),
        question text NOT NULL,
        alternates text[] NOT NULL DEFAULT '{}',
        answer text NOT NULL,
        tags text[] NOT NULL DEFAULT '{}',
        enabled boolean NOT NULL DEFAULT true,
        ordinal integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX faq_entry_kb_idx ON faq_entry (kb_id)`);
    await q.query(`
      CREATE TABLE passage (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        document_id uuid NOT NULL REFERENCES document(id) ON DELETE CASCADE,
        seq integer NOT NULL UNIQUE DEFAULT nextval('index_item_seq'),
        ordinal integer NOT NULL,
        text text NOT NULL,
        start_offset integer NOT NULL,
        end_offset integer NOT NULL,
        embedding bytea,
        embedding_model text,
        CONSTRAINT passage_document_ordinal_unique UNIQUE (document_id, ordinal)
      )`);
    await q.query(`CREATE INDEX passage_kb_idx ON passage (kb_id)`);
    await q.query(`
      CREATE TABLE ingestion_job (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        kb_id uuid NOT NULL REFERENCES knowledge_base(id) ON DELETE CASCADE,
        file_name text NOT NULL,
        mime text,
        source_type text NOT NULL,
        sha256 char(64) NOT NULL,
        size_bytes integer NOT NULL,
        content bytea,
        status text NOT NULL DEFAULT 'queued'
          CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
        progress jsonb NOT NULL
          DEFAULT '{"parsed":0,"chunked":0,"embedded":0,"indexed":0,"total":0}'::jsonb,
        faq_count integer NOT NULL DEFAULT 0,
        passage_count integer NOT NULL DEFAULT 0,
        error text,
        warnings text[] NOT NULL DEFAULT '{}',
        document_id uuid,
        duplicate boolean NOT NULL DEFAULT false,
        kb_version integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX ingestion_job_kb_idx ON ingestion_job (kb_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE ingestion_job`);
    await q.query(`DROP TABLE passage`);
    await q.query(`DROP TABLE faq_entry`);
    await q.query(`DROP TABLE document`);
    await q.query(`DROP TABLE knowledge_base`);
    await q.query(`DROP SEQUENCE index_item_seq`);
  }
}
