/** How far an ingestion job is, as a progress bar shows it, and what to say about it. */
import type { Job } from './types';

export function jobPercent(job: Pick<Job, 'status' | 'progress'>): number {
  if (job.status === 'succeeded' || job.status === 'failed') return 100;
  if (job.status === 'queued') return 0;
  const { total, indexed, chunked, parsed } = job.progress;
  // Parsing is the first tenth; then items count as they are indexed (embedding happens between).
  if (total === 0) return parsed > 0 || chunked > 0 ? 10 : 5;
  return Math.min(99, Math.round(10 + (90 * indexed) / total));
}

export type JobOutcome = 'waiting' | 'working' | 'added' | 'duplicate' | 'failed';

export function jobOutcome(job: Pick<Job, 'status' | 'duplicate'>): JobOutcome {
  if (job.status === 'queued') return 'waiting';
  if (job.status === 'running') return 'working';
  if (job.status === 'failed') return 'failed';
  return job.duplicate ? 'duplicate' : 'added';
}

export function isFinished(job: Pick<Job, 'status'>): boolean {
  return job.status === 'succeeded' || job.status === 'failed';
}
