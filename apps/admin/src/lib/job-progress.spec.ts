import { describe, expect, it } from 'vitest';
import { isFinished, jobOutcome, jobPercent } from './job-progress';

const progress = (indexed: number, total: number) => ({
  parsed: 1,
  chunked: total,
  embedded: 0,
  indexed,
  total,
});

describe('job progress', () => {
  it('moves from 0 (queued) through the indexed share to 100 when the job ends either way', () => {
    expect(jobPercent({ status: 'queued', progress: progress(0, 0) })).toBe(0);
    expect(jobPercent({ status: 'running', progress: progress(0, 10) })).toBe(10);
    expect(jobPercent({ status: 'running', progress: progress(5, 10) })).toBe(55);
    // A running job never shows full: the bar reaches 100 only when the server says it ended.
    expect(jobPercent({ status: 'running', progress: progress(10, 10) })).toBe(99);
    expect(jobPercent({ status: 'succeeded', progress: progress(10, 10) })).toBe(100);
    expect(jobPercent({ status: 'failed', progress: progress(0, 0) })).toBe(100);
  });

  it('tells a duplicate from a new document and a failure', () => {
    expect(jobOutcome({ status: 'succeeded', duplicate: true })).toBe('duplicate');
    expect(jobOutcome({ status: 'succeeded', duplicate: false })).toBe('added');
    expect(jobOutcome({ status: 'failed', duplicate: false })).toBe('failed');
    expect(jobOutcome({ status: 'running', duplicate: false })).toBe('working');
    expect(isFinished({ status: 'running' })).toBe(false);
    expect(isFinished({ status: 'failed' })).toBe(true);
  });
});
