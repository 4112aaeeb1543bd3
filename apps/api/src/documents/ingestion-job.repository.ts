/**
 * The ingestion_job table's queries. What a tenant reads is scoped: a KB's jobs by KB id, one job
 * by id only within the caller's organisation. The worker's and the sweeper's statements address a
 * job by id or sweep every KB's jobs: they are the system's, not a tenant's. Claiming a job, its
 * heartbeat and the stale-job sweep are single conditional UPDATEs, so two workers (or a worker and
 * the sweeper) never both own a job.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { returningRows } from '../database/returning-rows';
import {
  IngestionJob,
  type JobFailure,
  type JobProgress,
  type JobStatus,
  type JobWarning,
} from './ingestion-job.entity';

export type NewIngestionJob = Pick<
  IngestionJob,
  'fileName' | 'mime' | 'sourceType' | 'sha256' | 'sizeBytes' | 'content'
>;

export interface JobSuccess {
  progress: JobProgress;
  faqCount: number;
  passageCount: number;
  documentId: string;
  kbVersion: number;
  /** In English, and the same as data in the same order. */
  warnings: string[];
  warningCodes: JobWarning[];
}

// A running job whose worker has not beaten for $1 ms: its process is gone.
const STALE = `status = 'running' AND (heartbeat_at IS NULL OR heartbeat_at < now() - $1 * interval '1 millisecond')`;

@Injectable()
export class IngestionJobRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Stores the jobs of one upload in one transaction: all are queued or none. */
  createMany(kbId: string, jobs: NewIngestionJob[]): Promise<IngestionJob[]> {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(IngestionJob);
      const saved: IngestionJob[] = [];
      // Statements in sequence: a transaction is one connection.
      for (const job of jobs) saved.push(await repo.save(repo.create({ kbId, ...job })));
      return saved;
    });
  }

  create(kbId: string, job: NewIngestionJob): Promise<IngestionJob> {
    const repo = this.db.getRepository(IngestionJob);
    return repo.save(repo.create({ kbId, ...job }));
  }

  /** The KB's jobs, newest first; `status` filters. */
  page(
    kbId: string,
    query: { status?: JobStatus; limit?: number; offset?: number },
  ): Promise<[IngestionJob[], number]> {
    return this.db.getRepository(IngestionJob).findAndCount({
      where: { kbId, ...(query.status ? { status: query.status } : {}) },
      order: { createdAt: 'DESC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
  }

  /** The job if it belongs to a KB of this organisation. */
  inOrganisation(organisationId: string, jobId: string): Promise<IngestionJob | null> {
    return this.db
      .getRepository(IngestionJob)
      .createQueryBuilder('job')
      .innerJoin('knowledge_base', 'kb', 'kb.id = job.kb_id')
      .where('job.id = :jobId', { jobId })
      .andWhere('kb.organisation_id = :organisationId', { organisationId })
      .getOne();
  }

  /** A job by id alone: for the worker, the sweeper and in-process callers, never a tenant's request. */
  byId(jobId: string): Promise<IngestionJob | null> {
    return this.db.getRepository(IngestionJob).findOneBy({ id: jobId });
  }

  /** Takes a queued job for this worker (one attempt more); false when another worker has it or it is gone. */
  async claim(jobId: string): Promise<boolean> {
    const claimed = returningRows<{ id: string }>(
      await this.db.query(
        `UPDATE ingestion_job SET status = 'running', attempts = attempts + 1, heartbeat_at = now()
         WHERE id = $1 AND status = 'queued' RETURNING id`,
        [jobId],
      ),
    );
    return claimed.length > 0;
  }

  /** The job with the uploaded bytes (not selected by default). */
  withContent(jobId: string): Promise<IngestionJob | null> {
    return this.db
      .getRepository(IngestionJob)
      .createQueryBuilder('job')
      .addSelect('job.content')
      .where('job.id = :jobId', { jobId })
      .getOne();
  }

  /** The worker's sign of life; the sweeper tells a dead worker's job from a live one by it. */
  async heartbeat(jobId: string): Promise<void> {
    await this.db.query(
      `UPDATE ingestion_job SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`,
      [jobId],
    );
  }

  async saveProgress(jobId: string, progress: JobProgress): Promise<void> {
    await this.db.getRepository(IngestionJob).update({ id: jobId }, { progress: { ...progress } });
  }

  /**
   * Fails a running job with its reason (in English and as data) and drops its bytes (a job the
   * sweeper settled meanwhile stays so).
   */
  async fail(jobId: string, reason: string, failure: JobFailure, progress: JobProgress): Promise<void> {
    await this.db.getRepository(IngestionJob).update(
      { id: jobId, status: 'running' },
      {
        status: 'failed',
        error: reason,
        errorCode: failure.code,
        errorValues: failure.values,
        content: null,
        finishedAt: new Date(),
        progress,
      },
    );
  }

  /** Marks the job succeeded inside the transaction that wrote its content. */
  async succeed(m: EntityManager, jobId: string, s: JobSuccess): Promise<void> {
    await m.query(
      `UPDATE ingestion_job SET status = 'succeeded', content = NULL, finished_at = now(), progress = $2,
         faq_count = $3, passage_count = $4, document_id = $5, kb_version = $6, warnings = $7,
         warning_codes = $8
       WHERE id = $1`,
      [
        jobId,
        JSON.stringify(s.progress),
        s.faqCount,
        s.passageCount,
        s.documentId,
        s.kbVersion,
        s.warnings,
        JSON.stringify(s.warningCodes),
      ],
    );
  }

  /** The file was already in the KB: the job succeeds pointing at that document, adding nothing. */
  async succeedAsDuplicate(
    jobId: string,
    d: { documentId: string; finishedAt: Date; warnings: string[]; warningCodes: JobWarning[] },
  ): Promise<void> {
    await this.db.getRepository(IngestionJob).update(
      { id: jobId },
      {
        status: 'succeeded',
        duplicate: true,
        documentId: d.documentId,
        content: null,
        finishedAt: d.finishedAt,
        warnings: d.warnings,
        warningCodes: d.warningCodes,
      },
    );
  }

  /** Every queued job, oldest first (an in-process queue forgets them with its process). */
  async queuedIds(): Promise<string[]> {
    const rows: { id: string }[] = await this.db.query(
      `SELECT id FROM ingestion_job WHERE status = 'queued' ORDER BY created_at`,
    );
    return rows.map((r) => r.id);
  }

  /** Fails the stale running jobs that have used `maxAttempts`, with the reason; their ids. */
  async failStale(staleMs: number, maxAttempts: number): Promise<string[]> {
    const rows = returningRows<{ id: string }>(
      await this.db.query(
        `UPDATE ingestion_job SET status = 'failed', content = NULL, finished_at = now(),
           error = file_name || ': processing started ' || attempts || ' times and never finished (the server stopped while reading it each time); it will not be retried',
           error_code = 'abandoned', error_values = jsonb_build_object('file', file_name, 'attempts', attempts)
         WHERE ${STALE} AND attempts >= $2 RETURNING id`,
        [staleMs, maxAttempts],
      ),
    );
    return rows.map((r) => r.id);
  }

  /** Puts the other stale running jobs back in the queue; their ids. */
  async requeueStale(staleMs: number): Promise<string[]> {
    const rows = returningRows<{ id: string }>(
      await this.db.query(`UPDATE ingestion_job SET status = 'queued' WHERE ${STALE} RETURNING id`, [
        staleMs,
      ]),
    );
    return rows.map((r) => r.id);
  }
}
