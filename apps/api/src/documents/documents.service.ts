/**
 * Documents of a knowledge base: accepting uploads (type checks up front, one queued job per
 * file), listing, reading passages, and deleting a document with everything it contributed.
 */
import { createHash } from 'node:crypto';
import {
  BadRequestException,
  Inject,
  Injectable,
  NotFoundException,
  type MessageEvent,
  OnApplicationBootstrap,
  BeforeApplicationShutdown,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { detectSourceType, IngestError, type IngestFailure } from '@wendao/ingest';
import {
  catchError,
  distinctUntilChanged,
  EMPTY,
  from,
  fromEvent,
  interval,
  map,
  merge,
  of,
  switchMap,
  takeWhile,
  type Observable,
} from 'rxjs';
import type { ListPage, ListQueryDto } from '../common/list-query.dto';
import type { JobListQueryDto } from './job-list-query.dto';
import { KbIndexService } from '../indexes/kb-index.service';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import { DocumentRepository, type DocumentView, type PassageView } from './document.repository';
import { IngestionJobRepository } from './ingestion-job.repository';
import { INGESTION_QUEUE, type IngestionQueue } from './ingestion-queue';
import { IngestionService } from './ingestion.service';
import { SourceDocument } from './source-document.entity';
import { JobEvents, type JobView } from './job-events';
import { JobSweeper } from './job-sweeper';

const JOB_POLL_MS = 1000;

/** An upload refusal's problem body: the English message and the same failure as data. */
const refusal = (message: string, failure: IngestFailure) => ({ message, ...failure });

export interface UploadedFile {
  originalname: string;
  mimetype?: string;
  buffer: Buffer;
  size: number;
}

@Injectable()
export class DocumentsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly jobRows: IngestionJobRepository,
    private readonly kbs: KnowledgeBasesService,
    private readonly indexes: KbIndexService,
    private readonly ingestion: IngestionService,
    @Inject(INGESTION_QUEUE) private readonly queue: IngestionQueue,
    private readonly events: JobEvents,
    private readonly sweeper: JobSweeper,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.start((jobId) => this.ingestion.process(jobId));
    // Jobs left queued or running by a stopped process: re-queued within their attempt cap, else failed.
    await this.sweeper.start();
  }

  /** Before the database closes: the job in progress finishes (or fails) with it still open. */
  async beforeApplicationShutdown(): Promise<void> {
    this.sweeper.stop();
    this.ingestion.stopRetrying();
    await this.queue.close();
  }

  /** Validates every file before storing anything, then queues one job per file. */
  async upload(
    kbId: string,
    files: UploadedFile[],
  ): Promise<{ jobs: { id: string; file: string; status: string }[] }> {
    await this.kbs.require(kbId);
    if (!files || files.length === 0)
      throw new BadRequestException('no files uploaded (multipart field "files")');
    const accepted = files.map((file) => {
      const fileName = DocumentsService.fileName(file.originalname);
      if (file.size === 0)
        throw new BadRequestException(
          refusal(`${fileName} is empty`, { code: 'empty_file', values: { file: fileName } }),
        );
      try {
        const sourceType = detectSourceType(fileName, file.mimetype, file.buffer.subarray(0, 4096));
        return { file, fileName, sourceType };
      } catch (err) {
        // Unsupported or mismatched: both are the type's fault (415), with the code and values in the body.
        if (err instanceof IngestError)
          throw new UnsupportedMediaTypeException(refusal(err.message, err.failure));
        throw err;
      }
    });
    const jobs = await this.jobRows.createMany(
      kbId,
      accepted.map(({ file, fileName, sourceType }) => ({
        fileName,
        mime: file.mimetype || null,
        sourceType,
        sha256: createHash('sha256').update(file.buffer).digest('hex'),
        sizeBytes: file.size,
        content: file.buffer,
      })),
    );
    for (const job of jobs) await this.queue.enqueue(job.id);
    return { jobs: jobs.map((job) => ({ id: job.id, file: job.fileName, status: 'queued' })) };
  }

  /** Ingests one file right now, bypassing the queue (demo seeding, CLI). */
  async ingestNow(kbId: string, file: UploadedFile): Promise<JobView> {
    const fileName = DocumentsService.fileName(file.originalname);
    const job = await this.jobRows.create(kbId, {
      fileName,
      mime: file.mimetype || null,
      sourceType: detectSourceType(fileName, file.mimetype, file.buffer.subarray(0, 4096)),
      sha256: createHash('sha256').update(file.buffer).digest('hex'),
      sizeBytes: file.size,
      content: file.buffer,
    });
    await this.ingestion.process(job.id);
    const done = await this.jobRows.byId(job.id);
    if (!done) throw new NotFoundException(`job ${job.id} not found`);
    return IngestionService.view(done);
  }

  /** The KB's ingestion jobs, newest first (failed ones carry the reason); `status` filters. */
  async jobs(kbId: string, query: JobListQueryDto = {}): Promise<ListPage<JobView>> {
    await this.kbs.require(kbId);
    const [rows, total] = await this.jobRows.page(kbId, query);
    return { items: rows.map((job) => IngestionService.view(job)), total };
  }

  /** A job of a KB in the caller's organisation (the access guard checked it; the query holds to it too). */
  async job(organisationId: string, jobId: string): Promise<JobView> {
    const job = await this.jobRows.inOrganisation(organisationId, jobId);
    if (!job) throw new NotFoundException(`job ${jobId} not found`);
    return IngestionService.view(job);
  }

  /**
   * A job's updates as a stream: its state now, then each change, ending after it succeeds or
   * fails. Changes come from this process's events and, for jobs another replica's worker runs,
   * from polling PostgreSQL once a second. A poll that fails (the database is away) is skipped, not
   * turned into an error event: the stream ends with the job's own final event.
   */
  async jobEvents(organisationId: string, jobId: string): Promise<Observable<MessageEvent>> {
    const current = await this.job(organisationId, jobId);
    const local = fromEvent(this.events, `job:${jobId}`) as Observable<JobView>;
    const polled = interval(JOB_POLL_MS).pipe(
      switchMap(() => from(this.job(organisationId, jobId)).pipe(catchError(() => EMPTY))),
    );
    const done = (job: JobView) => job.status === 'succeeded' || job.status === 'failed';
    return merge(of(current), local, polled).pipe(
      distinctUntilChanged(
        (a, b) => a.status === b.status && JSON.stringify(a.progress) === JSON.stringify(b.progress),
      ),
      takeWhile((job) => !done(job), true),
      map((job) => ({ type: 'job', data: job })),
    );
  }

  /** The KB's documents, oldest first; `q` matches the file name. */
  async list(kbId: string, query: ListQueryDto = {}): Promise<ListPage<DocumentView>> {
    await this.kbs.require(kbId);
    const [items, total] = await this.documents.page(kbId, {
      q: query.q?.trim() || undefined,
      limit: query.limit,
      offset: query.offset,
    });
    return { items, total };
  }

  async passages(kbId: string, docId: string, query: ListQueryDto = {}): Promise<ListPage<PassageView>> {
    await this.requireDocument(kbId, docId);
    const [items, total] = await this.documents.passages(kbId, docId, query);
    return { items, total };
  }

  /** Removes the document, its passages and its FAQ entries, and publishes a new KB version. */
  async delete(kbId: string, docId: string): Promise<void> {
    await this.requireDocument(kbId, docId);
    await this.indexes.write(kbId, () =>
      this.documents.transaction(async (m) => {
        if (!(await this.documents.delete(m, kbId, docId)))
          throw new NotFoundException(`document ${docId} not found`);
        const version = await this.kbs.bumpVersion(m, kbId);
        return { version, apply: (index) => void index.removeDocument(docId), result: undefined };
      }),
    );
  }

  private async requireDocument(kbId: string, docId: string): Promise<SourceDocument> {
    await this.kbs.require(kbId);
    const doc = await this.documents.byId(kbId, docId);
    if (!doc) throw new NotFoundException(`document ${docId} not found in knowledge base ${kbId}`);
    return doc;
  }

  /**
   * Browsers send UTF-8 file names; recover them if a client's were read as latin1. Control
   * characters (NUL included, which PostgreSQL text cannot hold) and lone surrogates are dropped.
   */
  static fileName(name: string): string {
    const printable = (name || '')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
    const base = printable.split(/[\\/]/).pop()!.trim() || 'upload';
    if ([...base].some((c) => c.charCodeAt(0) >= 0x80) && [...base].every((c) => c.charCodeAt(0) <= 0xff)) {
      const decoded = Buffer.from(base, 'latin1').toString('utf8');
      if (!decoded.includes('\ufffd')) return decoded;
    }
    return base;
  }
}
