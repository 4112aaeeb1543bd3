/** Resolves with an ingestion job once it has ended, following its server-sent events. */
import type { Job } from './types';
import { isFinished } from './job-progress';

export function watchJob(jobId: string, onChange?: (job: Job) => void): Promise<Job> {
  return new Promise((resolve, reject) => {
    const source = new EventSource(`/api/jobs/${jobId}/events`);
    source.addEventListener('job', (event) => {
      const job = JSON.parse((event as MessageEvent<string>).data) as Job;
      onChange?.(job);
      if (isFinished(job)) {
        source.close();
        resolve(job);
      }
    });
    source.onerror = () => {
      source.close();
      reject(new Error(`lost the progress of job ${jobId}`));
    };
  });
}
