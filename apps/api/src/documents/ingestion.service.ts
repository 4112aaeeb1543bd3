/**
 * Runs one ingestion job: parse -> chunk -> embed -> one transaction that writes the document,
 * its passages and FAQ entries, marks the job succeeded and publishes the new KB version, then
 * the same content goes into the in-memory index in one synchronous step. Any failure rolls the
 * transaction back and records a readable reason on the job; the KB stays exactly as it was.
 */
import { performance } from 'node:perf_hooks';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import {
  chunkText,
  IngestError,
  ingestWarningMessage,
  ParseError,
  ParserPool,
  type IngestWarning,
  type ParseLimits,
} from '@wendao/ingest';
import { normalizeQuestion } from '@wendao/text';
import { APP_CONFIG, type AppConfig, type ChunkingConfig } from '../config/app-config';
import { isDatabaseUnavailable } from '../database/database-errors';
import { toFloat4Bytes } from '../indexes/embedding-bytes';
import { KnowledgeIndex, type FaqEmbedding, type IndexedFaq, type IndexedPassage } from '@wendao/answer';
import { KbIndexService } from '../indexes/kb-index.service';
import type { KnowledgeBase } from '../knowledge-bases/knowledge-base.entity';
import { KnowledgeBaseRepository } from '../knowledge-bases/knowledge-base.repository';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import { WendaoMetrics } from '../metrics/wendao-metrics';
import { ModelsService } from '../models/models.service';
import { DocumentRepository } from './document.repository';
import { IngestionJob, type JobFailure, type JobProgress, type JobWarning } from './ingestion-job.entity';
import { IngestionJobRepository } from './ingestion-job.repository';
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
    private readonly jobs: IngestionJobRepository,
    private readonly documents: DocumentRepository,
    private readonly kbRows: KnowledgeBaseRepository,
    private readonly indexes: KbIndexService,
    private readonly models: ModelsService,
    private readonly events: JobEvents,
    private readonly parsers: ParserPool,
    private readonly kbs: KnowledgeBasesService,
    private readonly metrics: WendaoMetrics,
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
      ...(job.warningCodes ? { warningCodes: job.warningCodes } : {}),
      ...(job.error ? { error: job.error } : {}),
      ...(job.error && job.errorCode && job.errorValues
        ? { errorCode: job.errorCode, errorValues: job.errorValues }
        : {}),
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
    };
  }

  /** The processor the queue calls; never throws (failures are recorded on the job). */
  async process(jobId: string): Promise<void> {
    // False: already taken by another worker, or gone with its KB.
    if (!(await this.jobs.claim(jobId))) return;
    const job = await this.jobs.withContent(jobId);
    if (!job || !job.content) return;
    job.status = 'running';
    const started = performance.now();
    this.logger.log(`job ${job.id} started: ${job.fileName} (${job.sizeBytes} bytes) into KB ${job.kbId}`);
    this.events.emitJob(IngestionService.view(job));
    // The sweeper tells a job whose process died from one still being worked on by this beat.
    const heartbeat = setInterval(
      () => void this.jobs.heartbeat(job.id).catch(() => undefined),
      Math.max(100, Math.floor(this.config.jobs.staleAfterMs / 4)),
    );
    heartbeat.unref();
    try {
      await this.ingest(job, job.content);
      const ms = this.finished(job, 'succeeded', started);
      this.logger.log(
        job.duplicate
          ? `job ${job.id} succeeded in ${ms} ms: a duplicate of document ${job.documentId}, nothing added`
          : `job ${job.id} succeeded in ${ms} ms: ${job.faqCount} FAQ entries, ${job.passageCount} passages, KB v${job.kbVersion}`,
      );
    } catch (err) {
      const { reason, failure } = this.reason(err, job.fileName);
      if (!(err instanceof IngestError))
        this.logger.error(`job ${job.id} (${job.fileName}) failed: ${(err as Error).stack ?? reason}`);
      const ms = this.finished(job, 'failed', started);
      this.logger.log(`job ${job.id} failed in ${ms} ms: ${failure.code}`);
      this.events.emitJob(
        IngestionService.view({
          ...job,
          status: 'failed',
          error: reason,
          errorCode: failure.code,
          errorValues: failure.values,
          finishedAt: new Date(),
        }),
      );
      await this.recordFailure(job, reason, failure);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** Counts the job's end in the metrics; returns how long it ran, in ms. */
  private finished(job: IngestionJob, status: 'succeeded' | 'failed', started: number): number {
    const ms = Math.round(performance.now() - started);
    this.metrics.ingestionJobs.inc({ status });
    this.metrics.ingestionJobDuration.observe({ status }, ms / 1000);
    return ms;
  }

  /** Shutdown has begun: a failure that cannot be recorded now is left to the sweeper of the next start. */
  stopRetrying(): void {
    this.stopping = true;
  }

  /**
   * Writes the failure on the job; while the database is unreachable it keeps trying (the job
   * stays `running` meanwhile and the sweeper settles it if this process stops first).
   */
  private async recordFailure(job: IngestionJob, reason: string, failure: JobFailure): Promise<void> {
    const until = Date.now() + 10 * 60_000;
    for (;;) {
      try {
        await this.jobs.fail(job.id, reason, failure, job.progress);
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

  /** Why the job failed, in English for `error` and as data for a client to word (the admin, in Chinese). */
  private reason(err: unknown, fileName: string): { reason: string; failure: JobFailure } {
    if (err instanceof IngestError) {
      const message = err.message;
      return {
        reason: message.includes(fileName) ? message : `${fileName}: ${message}`,
        failure: err.failure,
      };
    }
    // Internal errors (driver text, stack details) stay in the server log, not on the job.
    if (isDatabaseUnavailable(err))
      return {
        reason: `${fileName}: the database became unavailable while ingesting it; upload it again`,
        failure: { code: 'database_unavailable', values: { file: fileName } },
      };
    return {
      reason: `${fileName}: ingestion failed (an internal error; the server log has the details)`,
      failure: { code: 'internal_error', values: { file: fileName } },
    };
  }

  private async ingest(job: IngestionJob, content: Buffer): Promise<void> {
    const kb = await this.kbRows.byId(job.kbId);
    if (!kb) throw new Error('the knowledge base was deleted');
    const existing = await this.documents.idBySha256(job.kbId, job.sha256);
    if (existing) return this.finishDuplicate(job, existing);

    // In a worker thread, held to the configured time, memory and size limits (issue 16).
    const parsed = await this.parsers.parse(content, job.fileName, job.mime ?? undefined, this.limits);
    const chunks = parsed.document
      ? chunkText(parsed.document.text, { ...this.chunking(kb), sections: parsed.document.sections })
      : [];
    const read = parsed.faqs.map((f) => ({
      question: f.question.trim(),
      // An alternate asking the entry's own question (in any case, with or without its question
      // mark) is dropped, as the FAQ editor drops it: it adds nothing to match on.
      alternates: [...new Set(f.alternates.map((a) => a.trim()).filter(Boolean))].filter(
        (a) => normalizeQuestion(a) !== normalizeQuestion(f.question),
      ),
      answer: f.answer.trim(),
      tags: f.tags,
      // An entry the file switches off (the export's enabled=false) is stored disabled: it was
      // switched off for a reason, and an export imported again must not put it live.
      enabled: f.enabled !== false,
    }));
    if (read.length === 0 && chunks.length === 0) {
      throw new ParseError({ code: 'no_content', values: { file: job.fileName } });
    }
    // An entry asking what an enabled entry of the KB asks would never answer (matching keeps the
    // older entry of one question): a file exported, edited and imported again would leave every
    // edit unanswered behind the old entries. Such entries are skipped, each with a warning.
    // Each known question with the file its entry came from, so the warning can name it (the admin
    // re-uploading an edited file needs to know which document holds the entry that stays).
    const known = new Map<string, string | null>();
    for (const entry of await this.documents.enabledQuestionsAmong(job.kbId, [
      ...new Set(read.map((f) => normalizeQuestion(f.question))),
    ])) {
      const key = normalizeQuestion(entry.question);
      if (!known.has(key)) known.set(key, entry.document);
    }
    const faqs = read.filter((f) => !known.has(normalizeQuestion(f.question)));
    const inKb: IngestWarning[] = read
      .filter((f) => known.has(normalizeQuestion(f.question)))
      .map((f) => {
        const document = known.get(normalizeQuestion(f.question));
        return {
          code: 'question_in_kb',
          values: { question: f.question, ...(document ? { document } : {}) },
        };
      });
    if (faqs.length === 0 && chunks.length === 0) {
      const documents = [...new Set([...known.values()].filter((d): d is string => d !== null))];
      throw new ParseError({
        code: 'faqs_already_in_kb',
        values: { file: job.fileName, count: read.length, ...(documents.length ? { documents } : {}) },
      });
    }
    // In English for API clients and logs, and as data for a client to word (the admin, in Chinese).
    job.warnings = [...parsed.warnings, ...inKb].map(ingestWarningMessage);
    job.warningCodes = [...parsed.warnings, ...inKb];
    job.progress = {
      parsed: faqs.length + (parsed.document ? 1 : 0),
      chunked: chunks.length,
      embedded: 0,
      indexed: 0,
      total: faqs.length + chunks.length,
    };
    await this.saveProgress(job);

    const encoder = this.models.encoderFor(kb.language);
    const passageVectors: Float32Array[] = [];
    const faqVectors: FaqEmbedding[] = [];
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
        this.documents.transaction(async (m) => {
          const docId = await this.documents.insert(m, job.kbId, {
            fileName: job.fileName,
            type: parsed.type,
            mime: job.mime,
            sha256: job.sha256,
            sizeBytes: job.sizeBytes,
            passageCount: chunks.length,
          });
          if (!docId) {
            const other = await this.documents.idBySha256(job.kbId, job.sha256, m);
            throw new DuplicateDocument(other!);
          }
          const faqRows = await this.documents.insertFaqs(m, job.kbId, docId, faqs);
          const passageRows = await this.documents.insertPassages(
            m,
            job.kbId,
            docId,
            chunks.map((c, i) => ({
              text: c.text,
              start: c.start,
              end: c.end,
              embedding: encoder ? toFloat4Bytes(passageVectors[i]) : null,
            })),
            encoder?.modelId ?? null,
          );
          const version = await this.kbs.bumpVersion(m, job.kbId);
          const progress: JobProgress = {
            ...job.progress,
            embedded: encoder ? job.progress.total : 0,
            indexed: job.progress.total,
          };
          await this.jobs.succeed(m, job.id, {
            progress,
            faqCount: faqs.length,
            passageCount: chunks.length,
            documentId: docId,
            kbVersion: version,
            warnings: job.warnings,
            warningCodes: job.warningCodes ?? [],
          });
          Object.assign(job, {
            status: 'succeeded',
            progress,
            faqCount: faqs.length,
            passageCount: chunks.length,
            documentId: docId,
            kbVersion: version,
            finishedAt: new Date(),
          });
          const indexedFaqs: IndexedFaq[] = faqs.flatMap((f, i) =>
            f.enabled
              ? [
                  {
                    seq: faqRows[i].seq,
                    id: faqRows[i].id,
                    documentId: docId,
                    question: f.question,
                    alternates: f.alternates,
                    answer: f.answer,
                    ...faqVectors[i],
                  },
                ]
              : [],
          );
          const indexedPassages: IndexedPassage[] = chunks.map((c, i) => ({
            seq: passageRows[i].seq,
            id: passageRows[i].id,
            documentId: docId,
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
            items: indexedFaqs.length + indexedPassages.length,
            encoderId: encoder?.modelId ?? null,
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

  private async finishDuplicate(job: IngestionJob, documentId: string): Promise<void> {
    // The existing document may have another name (faq (1).csv uploaded again as faq.csv): say which.
    const existing = (await this.documents.byId(job.kbId, documentId))?.fileName;
    const duplicate: JobWarning = {
      code: 'duplicate_document',
      values: { file: job.fileName, ...(existing ? { document: existing } : {}) },
    };
    Object.assign(job, {
      status: 'succeeded',
      duplicate: true,
      documentId,
      finishedAt: new Date(),
      warnings: [
        ...job.warnings,
        // An admin re-uploading a file to bring back an entry deleted from it meets this: say how.
        `${job.fileName} is identical to ${existing ? `document ${existing}` : 'a document'} already in this knowledge base; nothing was added. ` +
          'To restore an entry deleted from it, add the entry by hand in the FAQ list, or delete the existing document first (its other entries go with it) and upload again',
      ],
      warningCodes: [...(job.warningCodes ?? []), duplicate],
    });
    await this.jobs.succeedAsDuplicate(job.id, {
      documentId,
      finishedAt: job.finishedAt!,
      warnings: job.warnings,
      warningCodes: job.warningCodes!,
    });
    this.events.emitJob(IngestionService.view(job));
  }

  private async saveProgress(job: IngestionJob): Promise<void> {
    await this.jobs.saveProgress(job.id, job.progress);
    this.events.emitJob(IngestionService.view(job));
  }
}
