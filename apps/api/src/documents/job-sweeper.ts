/**
 * Settles ingestion jobs left `running` by a process that died (a crash, kill -9, the database
 * vanishing under it): at start and then periodically, a running job without a recent heartbeat
 * goes back to the queue if it has attempts left, or fails with the reason once it has used them
 * all — so a file that kills the server is tried at most WENDAO_JOB_MAX_ATTEMPTS times, never forever.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IngestionJobRepository } from './ingestion-job.repository';
import { INGESTION_QUEUE, type IngestionQueue } from './ingestion-queue';
import { IngestionService } from './ingestion.service';
import { JobEvents } from './job-events';

@Injectable()
export class JobSweeper {
  private readonly logger = new Logger('JobSweeper');
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: IngestionJobRepository,
    @Inject(INGESTION_QUEUE) private readonly queue: IngestionQueue,
    private readonly events: JobEvents,
  ) {}

  /** First sweep now (at start every running job of a lone in-process queue is stale), then every interval. */
  async start(): Promise<void> {
    if (this.queue.kind === 'bullmq') await this.sweep(this.config.jobs.staleAfterMs);
    else {
      await this.sweep(0, false);
      // Queued rows from before the restart: the in-process queue forgot them with the old process.
      for (const id of await this.jobs.queuedIds()) await this.queue.enqueue(id);
    }
    this.timer = setInterval(() => void this.tick(), this.config.jobs.sweepIntervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = this.sweep(this.config.jobs.staleAfterMs)
      .catch((err: unknown) => this.logger.warn(`job sweep skipped: ${(err as Error).message}`))
      .finally(() => (this.sweeping = undefined));
    await this.sweeping;
  }

  /** One pass: jobs running with no heartbeat for `staleMs` are re-queued or, out of attempts, failed. */
  async sweep(staleMs: number, enqueue = true): Promise<void> {
    const failed = await this.jobs.failStale(staleMs, this.config.jobs.maxAttempts);
    const requeued = await this.jobs.requeueStale(staleMs);
    for (const id of failed) {
      const job = await this.jobs.byId(id);
      if (job) this.events.emitJob(IngestionService.view(job));
      this.logger.warn(`job ${id} failed after ${this.config.jobs.maxAttempts} attempts: ${job?.error}`);
    }
    for (const id of requeued) {
      this.logger.warn(`job ${id} was left running by a stopped process; queued again`);
      if (enqueue) await this.queue.enqueue(id);
    }
  }
}
