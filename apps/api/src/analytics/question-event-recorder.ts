/**
 * Records question events without holding up the answer: the insert runs after the reply is on its
 * way and a failure is logged, never thrown at the customer. Shutdown waits for the inserts still in
 * flight before the database pool closes.
 */
import { Injectable, Logger, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import { KbIntentClassifierService } from '../intents/kb-intent-classifier.service';
import { AnalyticsRepository } from './analytics.repository';
import type { QuestionEvent } from './question-event';

@Injectable()
export class QuestionEventRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger('QuestionEventRecorder');
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly repository: AnalyticsRepository,
    @Optional() private readonly intents?: KbIntentClassifierService,
  ) {}

  /** Starts the insert and returns at once. */
  record(event: QuestionEvent | null): void {
    if (!event) return;
    const insert = this.labelled(event)
      .then((labelled) => this.repository.insert([labelled]))
      .catch((err: unknown) =>
        this.logger.warn(`a ${event.channel} question of KB ${event.kbId} was not recorded: ${String(err)}`),
      )
      .finally(() => this.pending.delete(insert));
    this.pending.add(insert);
  }

  /**
   * The KB's intent classifier names the intent (null when out of scope); a KB without one keeps the
   * matched FAQ entry's question that the event came with.
   */
  private async labelled(event: QuestionEvent): Promise<QuestionEvent> {
    const label = await this.intents?.label(event.kbId, event.question);
    return label ? { ...event, intent: label.intent } : event;
  }

  /** Resolves when every insert started so far has finished (tests, shutdown). */
  async flushed(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.flushed();
  }
}
