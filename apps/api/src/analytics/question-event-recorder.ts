/**
 * Records question events without holding up the answer: the insert runs after the reply is on its
 * way and a failure is logged, never thrown at the customer. Shutdown waits for the inserts still in
 * flight before the database pool closes.
 */
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { AnalyticsRepository } from './analytics.repository';
import type { QuestionEvent } from './question-event';

@Injectable()
export class QuestionEventRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger('QuestionEventRecorder');
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly repository: AnalyticsRepository) {}

  /** Starts the insert and returns at once. */
  record(event: QuestionEvent | null): void {
    if (!event) return;
    const insert = this.repository
      .insert([event])
      .catch((err: unknown) =>
        this.logger.warn(`a ${event.channel} question of KB ${event.kbId} was not recorded: ${String(err)}`),
      )
      .finally(() => this.pending.delete(insert));
    this.pending.add(insert);
  }

  /** Resolves when every insert started so far has finished (tests, shutdown). */
  async flushed(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flushed();
  }
}
