/**
 * Records question events without holding up the answer: the insert runs after the reply is on its
 * way and a failure is logged, never thrown at the customer. Events that arrive while an insert is in
 * flight wait for it and go in together, one INSERT (and one run of the rollup triggers) for the lot:
 * under load the database sees a statement per batch instead of one per question. Shutdown waits for
 * every event recorded so far before the database pool closes.
 */
import { Injectable, Logger, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import { KbIntentClassifierService } from '../intents/kb-intent-classifier.service';
import { WendaoMetrics } from '../metrics/wendao-metrics';
import { AnalyticsRepository } from './analytics.repository';
import type { QuestionEvent } from './question-event';

/** Rows per INSERT: 14 parameters each, well under PostgreSQL's 65,535. */
const MAX_BATCH = 500;

@Injectable()
export class QuestionEventRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger('QuestionEventRecorder');
  private readonly queue: QuestionEvent[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly repository: AnalyticsRepository,
    private readonly metrics: WendaoMetrics,
    @Optional() private readonly intents?: KbIntentClassifierService,
  ) {}

  /**
   * Queues the event and returns at once; it is written with whatever else arrived meanwhile. It is
   * stamped now: a batch written later keeps each question's own time.
   */
  record(event: QuestionEvent | null): void {
    if (!event) return;
    this.metrics.questions.inc({ channel: event.channel, outcome: event.outcome });
    this.queue.push(event.createdAt ? event : { ...event, createdAt: new Date() });
    this.writing ??= this.drain();
  }

  private async drain(): Promise<void> {
    // Start after the current request's own work (its reply) instead of inside it.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.write(batch).catch((err: unknown) => batch.forEach((event) => this.lost(event, err)));
      }
    } finally {
      this.writing = null;
    }
  }

  private async write(events: QuestionEvent[]): Promise<void> {
    const labelled = await this.labelled(events);
    try {
      await this.repository.insert(labelled);
    } catch (err) {
      if (labelled.length === 1) return this.lost(labelled[0], err);
      // One row the database refuses (its KB deleted since the question) must not take the others
      // with it: row by row, so only that one is lost.
      for (const event of labelled)
        await this.repository.insert([event]).catch((e: unknown) => this.lost(event, e));
    }
  }

  private lost(event: QuestionEvent, err: unknown): void {
    this.logger.warn(`a ${event.channel} question of KB ${event.kbId} was not recorded: ${String(err)}`);
  }

  /**
   * The KB's intent classifier names the intent (null when out of scope); a KB without one keeps the
   * matched FAQ entry's question that the event came with. One classifier run per KB in the batch; a
   * KB whose labelling fails keeps its events as they came.
   */
  private async labelled(events: QuestionEvent[]): Promise<QuestionEvent[]> {
    const intents = this.intents;
    if (!intents) return events;
    const byKb = new Map<string, number[]>();
    events.forEach((e, i) => {
      const at = byKb.get(e.kbId);
      if (at) at.push(i);
      else byKb.set(e.kbId, [i]);
    });
    const out = [...events];
    await Promise.all(
      [...byKb].map(async ([kbId, at]) => {
        try {
          const labels = await intents.labels(
            kbId,
            at.map((i) => events[i].question),
          );
          if (labels) at.forEach((i, j) => (out[i] = { ...events[i], intent: labels[j].intent }));
        } catch (err) {
          this.logger.warn(`questions of KB ${kbId} recorded without an intent label: ${String(err)}`);
        }
      }),
    );
    return out;
  }

  /** Resolves when every event recorded so far is written (or logged as lost): tests, shutdown. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flushed();
  }
}
