/**
 * One upload's trip through parse -> chunk -> embed -> index. The file's bytes wait on the row
 * (not on local disk) so any replica's worker can take the job; they are cleared when it ends.
 */
import type { IngestFailure, IngestWarning } from '@wendao/ingest';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

/**
 * Why a job failed, as data: the ingest failure of its file, or one of the server's own (the database
 * went away, an internal error, a job whose process stopped every time it ran).
 */
export type JobFailure =
  | IngestFailure
  | { code: 'database_unavailable'; values: { file: string } }
  | { code: 'internal_error'; values: { file: string } }
  | { code: 'abandoned'; values: { file: string; attempts: number } };

/**
 * Something the uploader should know, as data: a parse warning of its file, or the server's own
 * (a file identical to `document`, the KB's document already holding these bytes).
 */
export type JobWarning =
  IngestWarning | { code: 'duplicate_document'; values: { file: string; document?: string } };

export interface JobProgress {
  parsed: number;
  chunked: number;
  embedded: number;
  indexed: number;
  /** Items to index (FAQ entries + passages); known once the file is parsed and chunked. */
  total: number;
}

@Entity('ingestion_job')
export class IngestionJob {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'kb_id' })
  kbId: string;

  @Column('text', { name: 'file_name' })
  fileName: string;

  @Column('text', { nullable: true })
  mime: string | null;

  /** Detected at upload time, before the job is queued. */
  @Column('text', { name: 'source_type' })
  sourceType: string;

  @Column('char', { length: 64 })
  sha256: string;

  @Column('integer', { name: 'size_bytes' })
  sizeBytes: number;

  @Column('bytea', { nullable: true, select: false })
  content: Buffer | null;

  @Column('text', { default: 'queued' })
  status: JobStatus;

  @Column('jsonb', { default: () => `'{"parsed":0,"chunked":0,"embedded":0,"indexed":0,"total":0}'::jsonb` })
  progress: JobProgress;

  @Column('integer', { name: 'faq_count', default: 0 })
  faqCount: number;

  @Column('integer', { name: 'passage_count', default: 0 })
  passageCount: number;

  /** Why it failed, in English. */
  @Column('text', { nullable: true })
  error: string | null;

  /** The same failure as data (null for jobs that failed before codes were stored). */
  @Column('text', { name: 'error_code', nullable: true })
  errorCode: JobFailure['code'] | null;

  @Column('jsonb', { name: 'error_values', nullable: true })
  errorValues: JobFailure['values'] | null;

  /** What the uploader should know (skipped rows, a guessed encoding …), in English. */
  @Column('text', { array: true, default: () => "'{}'" })
  warnings: string[];

  /** The same warnings as data, in the same order (null for jobs stored before codes were). */
  @Column('jsonb', { name: 'warning_codes', nullable: true, default: () => "'[]'::jsonb" })
  warningCodes: JobWarning[] | null;

  /** The document this job created, or the existing one when the file was a duplicate. */
  @Column('uuid', { name: 'document_id', nullable: true })
  documentId: string | null;

  @Column('boolean', { default: false })
  duplicate: boolean;

  /** KB version published by this job. */
  @Column('integer', { name: 'kb_version', nullable: true })
  kbVersion: number | null;

  /** Times processing started; at the cap (WENDAO_JOB_MAX_ATTEMPTS) the job fails instead of running again. */
  @Column('integer', { default: 0 })
  attempts: number;

  /** Last sign of life from the worker processing it; a stale one means that process died. */
  @Column('timestamptz', { name: 'heartbeat_at', nullable: true })
  heartbeatAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt: Date | null;
}
