/**
 * Keeps each KB's intent classifier trained on its labelled examples: a change schedules training in
 * the background (debounced, so an import trains once), and the new classifier replaces the old one
 * in one assignment; questions labelled meanwhile use the previous one. The stored revision tells a
 * replica that another one changed the examples.
 */
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { IntentClassifier } from '@wendao/intent';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ModelsService } from '../models/models.service';
import { IntentsRepository } from './intents.repository';

/** Edits arriving in a burst (several examples, an import) train once, after the burst. */
const DEBOUNCE_MS = 300;

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

interface TrainingState {
  trained?: TrainedClassifier;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  again?: boolean;
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
  private readonly states = new Map<string, TrainingState>();
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly models: ModelsService,
    private readonly repository: IntentsRepository,
  ) {}

  onApplicationShutdown(): void {
    this.closed = true;
    for (const state of this.states.values()) if (state.timer) clearTimeout(state.timer);
  }

  /**
   * The question's intent by the KB's classifier, or null when the KB has no classifier (no intents,
   * or fewer than two with examples): the caller then falls back to the matched FAQ entry.
   */
  async label(kbId: string, question: string): Promise<IntentLabel | null> {
    const revision = await this.repository.revision(kbId);
    if (revision === 0) return null;
    const state = this.state(kbId);
    if (state.trained?.revision !== revision) {
      this.schedule(kbId);
      // The first question after a start waits for the first training; later ones use the old model.
      if (!state.trained) await this.settled(kbId);
    }
    const classifier = state.trained?.classifier;
    if (!classifier) return null;
    const [prediction] = await classifier.predict([question]);
    return { intent: prediction.intent, confidence: prediction.confidence };
  }

  async status(kbId: string): Promise<IntentModelStatus> {
    const revision = await this.repository.revision(kbId);
    const state = this.state(kbId);
    if (revision > 0 && state.trained?.revision !== revision) this.schedule(kbId);
    const trained = state.trained;
    return {
      revision,
      trainedRevision: trained?.revision ?? null,
      training: Boolean(state.timer || state.running),
      trained: Boolean(trained?.classifier),
      intents: trained?.classifier ? [...trained.classifier.intents] : [],
      examples: trained?.examples ?? 0,
      threshold: trained?.classifier?.threshold ?? null,
      usesEmbedder: trained?.classifier?.usesEmbedder ?? false,
      trainedAt: trained?.trainedAt ?? null,
    };
  }

  /** Waits for a scheduled or running training of the KB (tests). */
  async settled(kbId: string): Promise<void> {
    for (;;) {
      const state = this.state(kbId);
      if (state.timer) await new Promise((r) => setTimeout(r, DEBOUNCE_MS));
      else if (state.running) await state.running;
      else return;
    }
  }

  schedule(kbId: string): void {
    if (this.closed || this.config.role === 'worker') return;
    const state = this.state(kbId);
    if (state.running) {
      state.again = true;
      return;
    }
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      state.running = this.train(kbId).finally(() => {
        state.running = undefined;
        if (state.again) {
          state.again = false;
          this.schedule(kbId);
        }
      });
    }, DEBOUNCE_MS);
    state.timer.unref();
  }

  forget(kbId: string): void {
    const state = this.states.get(kbId);
    if (state?.timer) clearTimeout(state.timer);
    this.states.delete(kbId);
  }

  private state(kbId: string): TrainingState {
    let state = this.states.get(kbId);
    if (!state) {
      state = {};
      this.states.set(kbId, state);
    }
    return state;
  }

  private async train(kbId: string): Promise<void> {
    try {
      const { revision, examples } = await this.repository.trainingSet(kbId);
      const intents = new Set(examples.map((e) => e.intent));
      const classifier =
        intents.size >= 2 ? await IntentClassifier.train(examples, { embedder: this.models.encoder }) : null;
      if (this.closed) return;
      // One assignment: a question labelled from here on sees the new classifier, never a mix.
      this.state(kbId).trained = { revision, classifier, trainedAt: new Date(), examples: examples.length };
      if (classifier)
        this.logger.log(
          `KB ${kbId}: intent classifier trained on ${examples.length} examples of ${intents.size} intents (revision ${revision}, cut ${classifier.threshold.toFixed(3)})`,
        );
    } catch (err) {
      this.logger.error(`KB ${kbId}: intent training failed: ${String(err)}`);
    }
  }
}
