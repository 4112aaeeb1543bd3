/**
 * The process's Prometheus metrics (prom-client). Each app has a registry of its own, so two apps in
 * one process (tests, an api beside a worker) never share or double-register series. No label carries
 * tenant data or grows with it: no KB ids or names, no questions, no raw paths.
 */
import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

@Injectable()
export class WendaoMetrics {
  readonly registry = new Registry();

  /** Every HTTP request, by the route pattern Express matched (`/api/kbs/:id/ask`), never the path. */
  readonly httpRequestDuration = new Histogram({
    name: 'wendao_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status class, and how long they took',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** REST asks (POST /api/kbs/:id/ask) answered, by what kind of answer, mode and cache. */
  readonly asks = new Counter({
    name: 'wendao_asks_total',
    help: 'Questions answered by POST /api/kbs/:id/ask, by answer type, mode and answer-cache hit',
    labelNames: ['type', 'mode', 'cache'] as const,
    registers: [this.registry],
  });

  /** Every customer question logged for analytics: REST asks and chat turns alike. */
  readonly questions = new Counter({
    name: 'wendao_questions_total',
    help: 'Customer questions recorded for analytics, by channel (api, chat) and outcome',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly ingestionJobs = new Counter({
    name: 'wendao_ingestion_jobs_total',
    help: 'Ingestion jobs this process ran to the end, by final status (succeeded, failed)',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly ingestionJobDuration = new Histogram({
    name: 'wendao_ingestion_job_duration_seconds',
    help: 'How long the ingestion jobs this process ran took, by final status',
    labelNames: ['status'] as const,
    buckets: [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [this.registry],
  });

  readonly calibrationRuns = new Counter({
    name: 'wendao_calibration_runs_total',
    help: 'Threshold calibrations this process ran, by outcome (calibrated, too_small, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'wendao_' });
  }
}
