/**
 * The stream of ingestion job updates (progress, success, failure) that GET /api/jobs/:id/events
 * follows. Without Redis it stays in this process. With REDIS_URL every update is published on
 * Redis (`<prefix>:job-events`) and every replica re-emits what it receives, so an admin following
 * a job on one replica sees the progress of a worker process or another replica as it happens.
 */
import { EventEmitter } from 'node:events';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { JobFailure, JobProgress, JobStatus, JobWarning } from './ingestion-job.entity';

export interface JobView {
  id: string;
  kbId: string;
  file: string;
  status: JobStatus;
  progress: JobProgress;
  counts: { faqs: number; passages: number };
  documentId: string | null;
  duplicate: boolean;
  kbVersion: number | null;
  /** In English; `warningCodes` says the same as data, in the same order (absent on jobs stored before codes were). */
  warnings: string[];
  warningCodes?: JobWarning[];
  /** A failed job's reason in English; `errorCode` and `errorValues` say it as data (absent on jobs that failed before codes were stored). */
  error?: string;
  errorCode?: JobFailure['code'];
  errorValues?: JobFailure['values'];
  createdAt: Date;
  finishedAt: Date | null;
}

@Injectable()
export class JobEvents extends EventEmitter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('JobEvents');
  private readonly channel: string;
  private pub?: Redis;
  private sub?: Redis;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
    // One listener per open SSE stream.
    this.setMaxListeners(0);
    this.channel = `${config.redisPrefix}:job-events`;
  }

  async onModuleInit(): Promise<void> {
    if (!this.config.redisUrl) return;
    this.pub = new Redis(this.config.redisUrl, { maxRetriesPerRequest: 3 });
    this.sub = this.pub.duplicate();
    for (const connection of [this.pub, this.sub])
      connection.on('error', (err) => this.logger.warn(`redis: ${err.message}`));
    this.sub.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      try {
        this.emitHere(JSON.parse(message) as JobView);
      } catch (err) {
        this.logger.warn(`unreadable job event: ${(err as Error).message}`);
      }
    });
    await this.sub.subscribe(this.channel);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.pub?.quit(), this.sub?.quit()]);
  }

  emitJob(job: JobView): void {
    if (!this.pub) return this.emitHere(job);
    // Delivered back to this replica too (its subscriber), in publish order; if Redis is out of
    // reach, this replica's own followers still hear it (the others poll PostgreSQL meanwhile).
    this.pub.publish(this.channel, JSON.stringify(job)).catch((err: unknown) => {
      this.logger.warn(`publishing job ${job.id} failed: ${(err as Error).message}`);
      this.emitHere(job);
    });
  }

  private emitHere(job: JobView): void {
    this.emit('job', job);
    this.emit(`job:${job.id}`, job);
  }
}
