/**
 * The single-process queue: runs one job at a time in arrival order, so ingestion never
 * competes with itself for the CPU (questions still interleave between its awaits).
 */
import { Logger } from '@nestjs/common';
import type { IngestionProcessor, IngestionQueue } from './ingestion-queue';

export class InProcessIngestionQueue implements IngestionQueue {
  readonly kind = 'in-process' as const;
  private readonly logger = new Logger('InProcessIngestionQueue');
  private processor?: IngestionProcessor;
  private tail: Promise<void> = Promise.resolve();
  private closed = false;

  async start(processor: IngestionProcessor): Promise<void> {
    this.processor = processor;
  }

  async enqueue(jobId: string): Promise<void> {
    if (this.closed) throw new Error('ingestion queue is closed');
    const processor = this.processor;
    if (!processor) throw new Error('ingestion queue has not been started');
    this.tail = this.tail.then(() =>
      this.closed
        ? undefined
        : processor(jobId).catch((err: unknown) => this.logger.error(`job ${jobId}: ${String(err)}`)),
    );
  }

  /** Lets the job in progress finish; jobs still waiting stay queued in PostgreSQL. */
  async close(): Promise<void> {
    this.closed = true;
    await this.tail;
  }
}
