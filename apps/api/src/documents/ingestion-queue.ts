/**
 * The ingestion queue contract: jobs are rows in PostgreSQL; a queue only carries job ids to a
 * worker. In-process when REDIS_URL is unset, BullMQ (shared by all replicas) when it is set.
 */

export type IngestionProcessor = (jobId: string) => Promise<void>;

export interface IngestionQueue {
  readonly kind: 'in-process' | 'bullmq';
  /** Starts handing queued job ids to the processor. */
  start(processor: IngestionProcessor): Promise<void>;
  enqueue(jobId: string): Promise<void>;
  close(): Promise<void>;
}

export const INGESTION_QUEUE = Symbol('INGESTION_QUEUE');
