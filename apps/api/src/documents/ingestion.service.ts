/**
 * Runs one ingestion job: parse -> chunk -> embed -> one transaction that writes the document,
 * its passages and FAQ entries, marks the job succeeded and publishes the new KB version, then
 * the same content goes into the in-memory index in one synchronous step. Any failure rolls the
 * transaction back and records a readable reason on the job; the KB stays exactly as it was.
 */
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { chunkText, ParseError, ParserPool, type ParseLimits } from '@wendao/ingest';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig, type ChunkingConfig } from '../config/app-config';
import { isDatabaseUnavailable } from '../database/database-errors';
import { returningRows } from '../database/returning-rows';
import { toFloat4Bytes } from '../indexes/embedding-bytes';
import { KnowledgeIndex, type IndexedFaq, type IndexedPassage } from '@wendao/answer';
import { KbIndexService } from '../indexes/kb-index.service';
import { KnowledgeBase } from '../knowledge-bases/knowledge-base.entity';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import { ModelsService } from '../models/models.service';
import { IngestionJob, type JobProgress } from './ingestion-job.entity';
import { JobEvents, type JobView } from './job-events';

const EMBED_BATCH = 32;

/** Thrown for a duplicate found inside the transaction (the unique (kb_id, sha256) constraint). */
class DuplicateDocument extends Error {
  constructor(readonly documentId: string) {
    super('duplicate document');
  }
}

@Injectable()
export class IngestionService implements OnApplicationShutdown {
  private readonly logger = new Logger('IngestionService');
  private readonly limits: ParseLimits;
  private stopping = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly indexes: KbIndexService,
    private readonly models: ModelsService,
    private readonly events: JobEvents,
    private readonly parsers: ParserPool,
    private readonly kbs: KnowledgeBasesService,
  ) {
    const p = config.parsing;
    this.limits = {
      zip: {
        maxUncompressedBytes: p.zipMaxUncompressedBytes,
        maxCompressionRatio: p.zipMaxRatio,
        maxEntries: p.zipMaxEntries,
        maxNestingDepth: p.zipMaxNesting,
      },
      pdf: { maxPages: p.pdfMaxPages, maxTextChars: p.pdfMaxTextChars },
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.parsers.close();
  }

  static view(job: IngestionJob): JobView {
    return {
      id: job.id,
      kbId: job.kbId,
      file: job.fileName,
      status: job.status,
      progress: job.progress,
      counts: { faqs: job.faqCount, passages: job.passageCount },
      documentId: job.documentId,
      duplicate: job.duplicate,
      kbVersion: job.kbVersion,
      warnings: job.warnings,
      ...(job.error ? { error: job.error } : {}),
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
    };
  }

  /** The processor the queue calls; never throws (failures are recorded on the job). */
  async process(jobId: string): Promise<void> {
    const jobs = this.db.getRepository(IngestionJob);
    const claimed = returningRows<{ id: string }>(
      await this.db.query(
        `UPDATE ingestion_job SET status = 'running', attempts = attempts + 1, heartbeat_at = now()
         WHERE id = $1 AND status = 'queued' RETURNING id`,
        [jobId],
      ),
    );
    if (claimed.length === 0) return; // already taken by another worker, or gone with its KB
    const job = await jobs
      .createQueryBuilder('job')
      .addSelect('job.content')
      .where('job.id = :jobId', { jobId })
      .getOne();
    if (!job || !job.content) return;
    job.status = 'running';
    this.events.emitJob(IngestionService.view(job));
    // The sweeper tells a job whose process died from one still being worked on by this beat.
    const heartbeat = setInterval(
      () =>
        void this.db
          .query(`UPDATE ingestion_job SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [
            job.id,
          ])
          .catch(() => undefined),
      Math.max(100, Math.floor(this.config.jobs.staleAfterMs / 4)),
    );
    heartbeat.unref();
    try {
      await this.ingest(job, job.content);
    } catch (err) {
      const reason = this.reason(err, job.fileName);
      if (!(err instanceof ParseError))
        this.logger.error(`job ${job.id} (${job.fileName}) failed: ${(err as Error).stack ?? reason}`);
      this.events.emitJob(
        IngestionService.view({ ...job, status: 'failed', error: reason, finishedAt: new Date() }),
      );
      await this.recordFailure(job, reason);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Shutdown has begun: a failure that cannot be recorded now is left to the sweeper of the next start. */
  stopRetrying(): void {
    this.stopping = true;
  }

  /**
   * Writes the failure on the job; while the database is unreachable it keeps trying (the job
   * stays `running` meanwhile and the sweeper settles it if this process stops first).
   */
  private async recordFailure(job: IngestionJob, reason: string): Promise<void> {
    const until = Date.now() + 10 * 60_000;
    for (;;) {
      try {
        await this.db.getRepository(IngestionJob).update(
          { id: job.id, status: 'running' },
          {
            status: 'failed',
            error: reason,
            content: null,
            finishedAt: new Date(),
            progress: job.progress,
          },
        );
        return;
      } catch (err) {
        if (this.stopping || Date.now() > until) {
          this.logger.error(`job ${job.id}: could not record its failure: ${(err as Error).message}`);
          return;
        }
        await new Promise((r) => setTimeout(r, 2000).unref());
      }
    }
  }

  private reason(err: unknown, fileName: string): string {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof ParseError) return message.includes(fileName) ? message : `${fileName}: ${message}`;
    // Internal errors (driver text, stack details) stay in the server log, not on the job.
    if (isDatabaseUnavailable(err))
      return `${fileName}: the database became unavailable while ingesting it; upload it again`;
    return `${fileName}: ingestion failed (an internal error; the server log has the details)`;
  }

  private async ingest(job: IngestionJob, content: Buffer): Promise<void> {
    const kb = await this.db.getRepository(KnowledgeBase).findOneBy({ id: job.kbId });
    if (!kb) throw new Error('the knowledge base was deleted');
    const existing = await this.findDocument(this.db.manager, job.kbId, job.sha256);
    if (existing) return this.finishDuplicate(job, existing);

    // In a worker thread, held to the configured time, memory and size limits (issue 16).
    const parsed = await this.parsers.parse(content, job.fileName, job.mime ?? undefined, this.limits);
    const chunks = parsed.document
      ? chunkText(parsed.document.text, { ...this.chunking(kb), sections: parsed.document.sections })
      : [];
    const faqs = parsed.faqs.map((f) => ({
      question: f.question.trim(),
      alternates: [...new Set(f.alternates.map((a) => a.trim()).filter(Boolean))],
      answer: f.answer.trim(),
      tags: f.tags,
    }));
    if (faqs.length === 0 && chunks.length === 0) {
      throw new ParseError(`${job.fileName}: no FAQ entries and no text found`);
    }
    job.warnings = parsed.warnings;
    job.progress = {
      parsed: faqs.length + (parsed.document ? 1 : 0),
      chunked: chunks.length,
      embedded: 0,
      indexed: 0,
      total: faqs.length + chunks.length,
    };
    await this.saveProgress(job);

    const encoder = this.models.encoder;
    const passageVectors: Float32Array[] = [];
    const faqVectors: Float32Array[][] = [];
    if (encoder) {
      for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
        const batch = chunks.slice(i, i + EMBED_BATCH).map((c) => c.text);
        passageVectors.push(...(await encoder.embed(batch)).vectors);
        job.progress.embedded = passageVectors.length;
        await this.saveProgress(job);
      }
      faqVectors.push(...(await KnowledgeIndex.embedFaqs(encoder, faqs)));
      job.progress.embedded += faqs.length;
      await this.saveProgress(job);
    }

    try {
      await this.indexes.write(job.kbId, () =>
        this.db.transaction(async (m) => {
          const [doc]: { id: string }[] = await m.query(
            `INSERT INTO document (kb_id, file_name, type, mime, sha256, size_bytes, faq_count, passage_count)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (kb_id, sha256) DO NOTHING RETURNING id`,
            [
              job.kbId,
              job.fileName,
              parsed.type,
              job.mime,
              job.sha256,
              job.sizeBytes,
              faqs.length,
              chunks.length,
            ],
          );
          if (!doc) {
            const other = await this.findDocument(m, job.kbId, job.sha256);
            throw new DuplicateDocument(other!);
          }
          // The same per-KB lock the faq_entry_ordinal trigger takes: concurrent writers number in turn.
          await m.query(`SELECT pg_advisory_xact_lock(hashtext('faq_entry_ordinal:' || $1::text))`, [
            job.kbId,
          ]);
          const [{ next }] = await m.query(
            'SELECT COALESCE(max(ordinal) + 1, 0)::int AS next FROM faq_entry WHERE kb_id = $1',
            [job.kbId],
          );
          // RETURNING order is not guaranteed to follow the SELECT: rows are matched up by ordinal.
          const faqRows: { id: string; seq: number; ordinal: number }[] = faqs.length
            ? await m.query(
                `INSERT INTO faq_entry (kb_id, document_id, question, alternates, answer, tags, ordinal)
                 SELECT $1, $2, u.e->>'question', ARRAY(SELECT json_array_elements_text(u.e->'alternates')),
                        u.e->>'answer', ARRAY(SELECT json_array_elements_text(u.e->'tags')), $3 + u.ord - 1
                 FROM json_array_elements($4::json) WITH ORDINALITY AS u(e, ord)
                 ORDER BY u.ord
                 RETURNING id, seq, ordinal`,
                [job.kbId, doc.id, next, JSON.stringify(faqs)],
              )
            : [];
          const passageRows: { id: string; seq: number; ordinal: number }[] = chunks.length
            ? await m.query(
                `INSERT INTO passage (kb_id, document_id, ordinal, text, start_offset, end_offset, embedding, embedding_model)
                 SELECT $1, $2, u.ordinal, u.text, u.start_offset, u.end_offset, u.embedding, $8
                 FROM unnest($3::int[], $4::text[], $5::int[], $6::int[], $7::bytea[])
                   AS u(ordinal, text, start_offset, end_offset, embedding)
                 ORDER BY u.ordinal
                 RETURNING id, seq, ordinal`,
                [
                  job.kbId,
                  doc.id,
                  chunks.map((_, i) => i),
                  chunks.map((c) => c.text),
                  chunks.map((c) => c.start),
                  chunks.map((c) => c.end),
                  chunks.map((_, i) => (encoder ? toFloat4Bytes(passageVectors[i]) : null)),
                  encoder?.modelId ?? null,
                ],
              )
            : [];
          const version = await this.kbs.bumpVersion(m, job.kbId);
          const progress: JobProgress = {
            ...job.progress,
            embedded: encoder ? job.progress.total : 0,
            indexed: job.progress.total,
          };
          await m.query(
            `UPDATE ingestion_job SET status = 'succeeded', content = NULL, finished_at = now(), progress = $2,
               faq_count = $3, passage_count = $4, document_id = $5, kb_version = $6, warnings = $7
             WHERE id = $1`,
            [job.id, JSON.stringify(progress), faqs.length, chunks.length, doc.id, version, job.warnings],
          );
          Object.assign(job, {
            status: 'succeeded',
            progress,
            faqCount: faqs.length,
            passageCount: chunks.length,
            documentId: doc.id,
            kbVersion: version,
            finishedAt: new Date(),
          });
          faqRows.sort((a, b) => a.ordinal - b.ordinal);
          passageRows.sort((a, b) => a.ordinal - b.ordinal);
          const indexedFaqs: IndexedFaq[] = faqs.map((f, i) => ({
            seq: faqRows[i].seq,
            id: faqRows[i].id,
            documentId: doc.id,
            question: f.question,
            alternates: f.alternates,
            answer: f.answer,
            vectors: faqVectors[i],
          }));
          const indexedPassages: IndexedPassage[] = chunks.map((c, i) => ({
            seq: passageRows[i].seq,
            id: passageRows[i].id,
            documentId: doc.id,
            fileName: job.fileName,
            ordinal: i,
            text: c.text,
            start: c.start,
            end: c.end,
          }));
          return {
            version,
            apply: (index) => {
              for (const faq of indexedFaqs) index.upsertFaq(faq);
              indexedPassages.forEach((p, i) => index.addPassage(p, passageVectors[i]));
            },
            result: undefined,
          };
        }),
      );
    } catch (err) {
      if (err instanceof DuplicateDocument) return this.finishDuplicate(job, err.documentId);
      throw err;
    }
    this.events.emitJob(IngestionService.view(job));
  }

  private chunking(kb: KnowledgeBase): ChunkingConfig {
    const base = this.config.chunking;
    const targetLength = kb.settings.chunkTargetLength ?? base.targetLength;
    return {
      targetLength,
      maxLength: Math.max(kb.settings.chunkMaxLength ?? base.maxLength, targetLength),
      overlap: kb.settings.chunkOverlap ?? base.overlap,
    };
  }

  private async findDocument(m: EntityManager, kbId: string, sha256: string): Promise<string | undefined> {
    const rows: { id: string }[] = await m.query('SELECT id FROM document WHERE kb_id = $1 AND sha256 = $2', [
      kbId,
      sha256,
    ]);
    return rows[0]?.id;
  }

  private async finishDuplicate(job: IngestionJob, documentId: string): Promise<void> {
    Object.assign(job, {
      status: 'succeeded',
      duplicate: true,
      documentId,
      finishedAt: new Date(),
      warnings: [
        ...job.warnings,
        `${job.fileName} is identical to a document already in this knowledge base; nothing was added`,
      ],
    });
    await this.db.getRepository(IngestionJob).update(
      { id: job.id },
      {
        status: 'succeeded',
        duplicate: true,
        documentId,
        content: null,
        finishedAt: job.finishedAt,
        warnings: job.warnings,
      },
    );
    this.events.emitJob(IngestionService.view(job));
  }

  private async saveProgress(job: IngestionJob): Promise<void> {
    await this.db.getRepository(IngestionJob).update({ id: job.id }, { progress: { ...job.progress } });
    this.events.emitJob(IngestionService.view(job));
  }
}
