/**
 * The shared queue (REDIS_URL set): BullMQ carries job ids so any replica's worker can ingest.
 * The processor records failures on the job row itself, so BullMQ never retries a job. A process
 * with WENDAO_ROLE=api only enqueues; `worker` and `all` processes consume.
 */
import { Logger } from '@nestjs/common';
import { Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import type { IngestionProcessor, IngestionQueue } from './ingestion-queue';

export class BullMqIngestionQueue implements IngestionQueue {
  readonly kind = 'bullmq' as const;
  private readonly logger = new Logger('BullMqIngestionQueue');
  private readonly connection: Redis;
  private readonly queue: Queue;
  private worker?: Worker;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly consume = true,
  ) {
    // BullMQ workers block on Redis; they require maxRetriesPerRequest: null.
    this.connection = new Redis(url, { maxRetriesPerRequest: null });
    this.connection.on('error', (err) => this.logger.warn(`redis: ${err.message}`));
    this.queue = new Queue('ingest', { connection: this.connection, prefix: this.prefix });
  }

  async start(processor: IngestionProcessor): Promise<void> {
    if (!this.consume) return;
    this.worker = new Worker('ingest', async (job) => processor((job.data as { jobId: string }).jobId), {
      connection: this.connection.duplicate(),
      prefix: this.prefix,
      concurrency: 1,
    });
    this.worker.on('failed', (job, err) => this.logger.error(`job ${job?.data?.jobId}: ${err.message}`));
    await this.worker.waitUntilReady();
  }

  async enqueue(jobId: string): Promise<void> {
    await this.queue.add(
      'ingest',
      { jobId },
      // A job the sweeper re-queues is enqueued again: each enqueue is its own BullMQ job (the row's
      // claim, status 'queued' -> 'running', still lets only one worker process it).
      { jobId: `${jobId}.${Date.now()}`, removeOnComplete: 1000, removeOnFail: 1000, attempts: 1 },
    );
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
