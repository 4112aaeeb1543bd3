/**
 * Keeps each KB's intent classifier trained on its labelled examples: a change schedules training in
 * the background (debounced, so an import trains once), and the new classifier replaces the old one
 * in one assignment; questions labelled meanwhile use the previous one. The stored revision tells a
 * replica that another one changed the examples.
 */
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { IntentClassifier } from '@wendao/intent';
import { KeyedBackgroundRunner } from '../common/keyed-background-runner';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ModelsService } from '../models/models.service';
import { IntentsRepository } from './intents.repository';

/**
 * Edits arriving in a burst (several examples, an import) train once, after the burst; a stream of
 * edits trains again only after 4x the last training's duration (training runs on the main thread).
 */
const SCHEDULE = { debounceMs: 300, spacingFactor: 4 };

export interface IntentLabel {
  /** The recognised intent, or null when the question is out of scope (under the classifier's cut). */
  intent: string | null;
  confidence: number;
}

interface TrainedClassifier {
  revision: number;
  /** Null when the KB has fewer than two intents with examples. */
  classifier: IntentClassifier | null;
  trainedAt: Date;
  examples: number;
}

export interface IntentModelStatus {
  revision: number;
  trainedRevision: number | null;
  training: boolean;
  trained: boolean;
  intents: string[];
  examples: number;
  threshold: number | null;
  usesEmbedder: boolean;
  trainedAt: Date | null;
}

@Injectable()
export class KbIntentClassifierService implements OnApplicationShutdown {
  private readonly logger = new Logger('KbIntentClassifierService');
  private readonly trained = new Map<string, TrainedClassifier>();
  private readonly runner = new KeyedBackgroundRunner((kbId) => this.train(kbId), SCHEDULE);
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly models: ModelsService,
    private readonly repository: IntentsRepository,
  ) {}

  onApplicationShutdown(): void {
    this.closed = true;
    this.runner.close();
  }

  /**
   * The question's intent by the KB's classifier, or null when the KB has no classifier (no intents,
   * or fewer than two with examples): the caller then falls back to the matched FAQ entry.
   */
  async label(kbId: string, question: string): Promise<IntentLabel | null> {
    const revision = await this.repository.revision(kbId);
    if (revision === 0) return null;
    if (this.trained.get(kbId)?.revision !== revision) {
      this.schedule(kbId);
      // The first question after a start waits for the first training; later ones use the old model.
      if (!this.trained.has(kbId)) await this.settled(kbId);
    }
    const classifier = this.trained.get(kbId)?.classifier;
    if (!classifier) return null;
    const [prediction] = await classifier.predict([question]);
    return { intent: prediction.intent, confidence: prediction.confidence };
  }

  async status(kbId: string): Promise<IntentModelStatus> {
    const revision = await this.repository.revision(kbId);
    if (revision > 0 && this.trained.get(kbId)?.revision !== revision) this.schedule(kbId);
    const trained = this.trained.get(kbId);
    return {
      revision,
      trainedRevision: trained?.revision ?? null,
      training: this.runner.busy(kbId),
      trained: Boolean(trained?.classifier),
      intents: trained?.classifier ? [...trained.classifier.intents] : [],
      examples: trained?.examples ?? 0,
      threshold: trained?.classifier?.threshold ?? null,
      usesEmbedder: trained?.classifier?.usesEmbedder ?? false,
      trainedAt: trained?.trainedAt ?? null,
    };
  }

  /** Waits for a scheduled or running training of the KB (tests). */
  settled(kbId: string): Promise<void> {
    return this.runner.settled(kbId);
  }

  schedule(kbId: string): void {
    if (this.config.role !== 'worker') this.runner.schedule(kbId);
  }

  forget(kbId: string): void {
    this.runner.forget(kbId);
    this.trained.delete(kbId);
  }

  private async train(kbId: string): Promise<void> {
    try {
      const { revision, examples } = await this.repository.trainingSet(kbId);
      const intents = new Set(examples.map((e) => e.intent));
      const classifier =
        intents.size >= 2 ? await IntentClassifier.train(examples, { embedder: this.models.encoder }) : null;
      if (this.closed) return;
      // One assignment: a question labelled from here on sees the new classifier, never a mix.
      this.trained.set(kbId, { revision, classifier, trainedAt: new Date(), examples: examples.length });
      if (classifier)
        this.logger.log(
          `KB ${kbId}: intent classifier trained on ${examples.length} examples of ${intents.size} intents (revision ${revision}, cut ${classifier.threshold.toFixed(3)})`,
        );
    } catch (err) {
      this.logger.error(`KB ${kbId}: intent training failed: ${String(err)}`);
    }
  }
}
