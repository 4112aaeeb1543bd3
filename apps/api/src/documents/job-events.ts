/**
 * In-process stream of ingestion job updates (progress, success, failure). The admin's progress
 * bar subscribes through the websocket gateway (a later issue); REST readers poll GET /api/jobs/:id.
 */
import { EventEmitter } from 'node:events';
import { Injectable } from '@nestjs/common';
import type { JobProgress, JobStatus } from './ingestion-job.entity';

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
  warnings: string[];
  error?: string;
  createdAt: Date;
  finishedAt: Date | null;
}

@Injectable()
export class JobEvents extends EventEmitter {
  emitJob(job: JobView): void {
    this.emit('job', job);
    this.emit(`job:${job.id}`, job);
  }
}
