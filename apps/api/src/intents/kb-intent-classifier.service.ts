/**
 * Keeps each KB's intent classifier trained on its labelled examples: a change schedules training in
 * the background (debounced, so an import trains once) in a worker thread (IntentTrainer: the event
 * loop never runs it), and the new classifier replaces the old one in one assignment; questions
 * labelled meanwhile use the previous one. Every trained model is stored in PostgreSQL with the hash
 * of the examples it was trained on: a restart, or another replica, loads it instead of training again
 * as long as the examples hash the same. The stored revision tells a replica that another one changed
 * the examples.
 *
 * Each classifier then weighs its intents by the KB's traffic (IntentClassifier.adaptToTraffic over
 * the latest logged questions), estimated in the background when a question is labelled and the
 * classifier has no estimate yet (after a training or a load) or its estimate is an hour old
 * (WENDAO_INTENT_TRAFFIC_REFRESH_MS): a start with many KBs embeds no logged question before one is
 * asked. Where the traffic's mix is close to the labels' (nothing to weigh), the classifier instead
 * trains again, in the worker, on the labels plus the logged questions it accepts (self-training:
 * learnFromTraffic; WENDAO_INTENT_SELF_TRAINING), always starting from the model trained on the labels
 * alone. Neither is stored: every replica does it from the same log.
 */
import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Embedder } from '@wendao/encoder';
import {
  IntentClassifier,
  IntentTrainer,
  describingExamples,
  learnFromTraffic,
  type IntentTrainingReport,
  type SelfTraining,
  type TrafficAdaptation,
} from '@wendao/intent';
import { KeyedBackgroundRunner } from '../common/keyed-background-runner';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ModelsService } from '../models/models.service';
import { IntentsRepository } from './intents.repository';

/**
 * Edits arriving in a burst (several examples, an import) train once, after the burst; a stream of
 * edits trains again only after the last training's duration, so one KB cannot keep a core busy.
 */
const SCHEDULE = { debounceMs: 300, spacingFactor: 1 };

/**
 * Part of the training hash: bump it when a change to @wendao/intent's training would give another
 * model for the same examples, so stored models made by the old code are trained again.
 */
const TRAINING_FORMAT = 'wendao-intent-1/train-3';

export interface IntentLabel {
  /** The recognised intent, or null when the question is out of scope (under the classifier's cut). */
  intent: string | null;
  confidence: number;
}

interface TrainedClassifier {
  revision: number;
  trainingHash: string;
  /** Null when the KB has fewer than two intents with examples. */
  classifier: IntentClassifier | null;
  /**
   * The classifier as trained on the labels (and intent names) alone: what each traffic estimate
   * starts from, `classifier` being it weighed by the traffic or self-trained on it.
   */
  labelsOnly: IntentClassifier | null;
  /** `trained` here, or `stored`: loaded from PostgreSQL (trained before a restart or on another replica). */
  source: 'trained' | 'stored';
  trainedAt: Date;
  trainMillis: number;
  examples: number;
  report: IntentTrainingReport | null;
  /** When the traffic's mix was last estimated for this classifier (null: not yet). */
  trafficAt: Date | null;
  /** What the last estimate's self-training did (null: none ran yet, or it is off). */
  selfTraining: SelfTraining | null;
}

/** What one classifier was trained on and how its out-of-scope cut was set. */
export interface IntentModelFigures {
  /** Its training examples: the labelled ones, each intent's name and description, and (retrained) the accepted questions. */
  trainedOn: number;
  /** Its out-of-scope cut on the calibrated top probability. */
  threshold: number;
  /** The calibration temperature its probabilities are divided by. */
  temperature: number;
  c: number;
  /** Cross-validated inside its training set when its cut was chosen (null: the cut was kept or given). */
  inScopeAccuracy: number | null;
  outOfScopeRecall: number | null;
}

export interface IntentModelStatus {
  revision: number;
  trainedRevision: number | null;
  training: boolean;
  trained: boolean;
  source: 'trained' | 'stored' | null;
  intents: string[];
  examples: number;
  /** The cut of the classifier in force: the retrained one's where self-training applied. */
  threshold: number | null;
  /** The calibration temperature and C of the classifier in force. */
  temperature: number | null;
  c: number | null;
  /**
   * Cross-validated inside the labels when the labels-only classifier's cut was chosen (null: not
   * measured). Always the labels-only classifier's, also where self-training replaced it.
   */
  inScopeAccuracy: number | null;
  outOfScopeRecall: number | null;
  /** The classifier trained on the labels alone: what each traffic estimate starts from. */
  labelsOnly: IntentModelFigures | null;
  usesEmbedder: boolean;
  /** The encoder whose embeddings are features (the KB language's; null: n-grams only). */
  embedder: string | null;
  trainedAt: Date | null;
  trainMillis: number | null;
  /** The last training's failure (time or memory limit, error) since the last success, if any. */
  lastError: { message: string; at: Date } | null;
  /** What the KB's logged questions said about the intents' mix, and whether the classifier follows it. */
  traffic: (TrafficAdaptation & { estimatedAt: Date }) | null;
  /**
   * Whether the classifier trained again on the logged questions it accepted, and why not; once it
   * did, whether the retrained classifier (the one in force) kept the labels-only cut or had it chosen
   * again (`cut`), and its figures (`retrained`). Both null where it did not retrain.
   */
  selfTraining:
    | (Omit<SelfTraining, 'cut'> & {
        at: Date;
        cut: 'kept' | 'chosen-again' | null;
        retrained: IntentModelFigures | null;
      })
    | null;
}

function figures(classifier: IntentClassifier): IntentModelFigures {
  const threshold = classifier.report?.threshold;
  return {
    trainedOn: classifier.trainedOn,
    threshold: classifier.threshold,
    temperature: classifier.temperature,
    c: classifier.c,
    inScopeAccuracy: threshold && 'inScopeAccuracy' in threshold ? threshold.inScopeAccuracy : null,
    outOfScopeRecall: threshold && 'outOfScopeRecall' in threshold ? threshold.outOfScopeRecall : null,
  };
}

/** The hash of what a model is a function of: the examples in training order, the embedder, the code. */
export function trainingHash(
  examples: ReadonlyArray<{ text: string; intent: string }>,
  embedder: string | null,
) {
  const hash = createHash('sha256').update(`${TRAINING_FORMAT}\n${embedder ?? ''}\n`);
  for (const e of examples) hash.update(`${e.intent}\u0000${e.text}\u0001`);
  return hash.digest('hex');
}

@Injectable()
export class KbIntentClassifierService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KbIntentClassifierService');
  private readonly trained = new Map<string, TrainedClassifier>();
  private readonly failures = new Map<string, { message: string; at: Date; trainingHash: string }>();
  private readonly runner = new KeyedBackgroundRunner((kbId) => this.train(kbId), SCHEDULE);
  /** Estimates of the traffic's intent mix run apart from trainings: the status never calls one "training". */
  private readonly trafficRunner = new KeyedBackgroundRunner((kbId) => this.adaptToTraffic(kbId), SCHEDULE);
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly models: ModelsService,
    private readonly repository: IntentsRepository,
    private readonly trainer: IntentTrainer,
  ) {}

  /** Loads the stored classifiers in the background, so the first questions after a start need not wait. */
  onApplicationBootstrap(): void {
    if (this.config.role === 'worker') return;
    this.repository.kbsWithStoredModel(this.config.shardOrganisations).then(
      (kbIds) => kbIds.forEach((kbId) => this.schedule(kbId)),
      (err: unknown) => this.logger.warn(`stored intent classifiers not loaded at start: ${String(err)}`),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    this.runner.close();
    this.trafficRunner.close();
    await this.trainer.close();
  }

  /**
   * The question's intent by the KB's classifier, or null when the KB has no classifier (no intents,
   * or fewer than two with examples): the caller then falls back to the matched FAQ entry.
   */
  async label(kbId: string, question: string): Promise<IntentLabel | null> {
    return (await this.labels(kbId, [question]))?.[0] ?? null;
  }

  /** `label` for several questions of one KB at once: one revision read, one prediction run. */
  async labels(kbId: string, questions: readonly string[]): Promise<IntentLabel[] | null> {
    return (await this.predict(kbId, questions))?.labels ?? null;
  }

  /**
   * `label` with the revision of the model that answered and the KB's latest one: while a change is
   * being trained (here or on another replica) the model before it answers, and says so.
   */
  async labelWithRevision(
    kbId: string,
    question: string,
  ): Promise<{ label: IntentLabel | null; modelRevision: number | null; revision: number }> {
    const predicted = await this.predict(kbId, [question]);
    return predicted
      ? { label: predicted.labels[0], modelRevision: predicted.modelRevision, revision: predicted.revision }
      : { label: null, modelRevision: null, revision: await this.repository.revision(kbId) };
  }

  private async predict(
    kbId: string,
    questions: readonly string[],
  ): Promise<{ labels: IntentLabel[]; modelRevision: number; revision: number } | null> {
    const revision = await this.repository.revision(kbId);
    if (revision === 0) return null;
    if (this.trained.get(kbId)?.revision !== revision) {
      this.schedule(kbId);
      // The first question after a start waits for the first load or training; later ones use the old model.
      if (!this.trained.has(kbId)) await this.settled(kbId);
    }
    const current = this.trained.get(kbId);
    const classifier = current?.classifier;
    if (!classifier) return null;
    if (this.trafficDue(current)) this.scheduleTraffic(kbId);
    const predictions = await classifier.predict(questions);
    return {
      labels: predictions.map((p) => ({ intent: p.intent, confidence: p.confidence })),
      modelRevision: current.revision,
      revision,
    };
  }

  async status(kbId: string): Promise<IntentModelStatus> {
    const revision = await this.repository.revision(kbId);
    if (revision > 0 && this.trained.get(kbId)?.revision !== revision) this.schedule(kbId);
    const trained = this.trained.get(kbId);
    const threshold = trained?.report?.threshold;
    const failure = this.failures.get(kbId);
    return {
      revision,
      trainedRevision: trained?.revision ?? null,
      training: this.runner.busy(kbId),
      trained: Boolean(trained?.classifier),
      source: trained?.classifier ? trained.source : null,
      intents: trained?.classifier ? [...trained.classifier.intents] : [],
      examples: trained?.examples ?? 0,
      threshold: trained?.classifier?.threshold ?? null,
      temperature: trained?.classifier?.temperature ?? null,
      c: trained?.classifier?.c ?? null,
      inScopeAccuracy: threshold && 'inScopeAccuracy' in threshold ? threshold.inScopeAccuracy : null,
      outOfScopeRecall: threshold && 'outOfScopeRecall' in threshold ? threshold.outOfScopeRecall : null,
      labelsOnly: trained?.classifier && trained.labelsOnly ? figures(trained.labelsOnly) : null,
      usesEmbedder: trained?.classifier?.usesEmbedder ?? false,
      embedder: trained?.classifier?.embedderId ?? null,
      trainedAt: trained?.classifier ? trained.trainedAt : null,
      trainMillis: trained?.classifier ? trained.trainMillis : null,
      lastError: failure ? { message: failure.message, at: failure.at } : null,
      traffic:
        trained?.classifier?.traffic && trained.trafficAt
          ? { ...trained.classifier.traffic, estimatedAt: trained.trafficAt }
          : null,
      selfTraining:
        trained?.selfTraining && trained.trafficAt
          ? {
              ...trained.selfTraining,
              at: trained.trafficAt,
              cut: (trained.selfTraining.applied && trained.selfTraining.cut) || null,
              // Set together with selfTraining: where it applied, the classifier in force is the retrained one.
              retrained:
                trained.selfTraining.applied && trained.classifier ? figures(trained.classifier) : null,
            }
          : null,
    };
  }

  /** Waits for a scheduled or running training of the KB and the traffic estimate after it (tests). */
  async settled(kbId: string): Promise<void> {
    await this.runner.settled(kbId);
    await this.trafficRunner.settled(kbId);
  }

  schedule(kbId: string): void {
    if (this.config.role !== 'worker') this.runner.schedule(kbId);
  }

  private scheduleTraffic(kbId: string): void {
    if (this.config.role !== 'worker') this.trafficRunner.schedule(kbId);
  }

  forget(kbId: string): void {
    this.runner.forget(kbId);
    this.trafficRunner.forget(kbId);
    this.trained.delete(kbId);
    this.failures.delete(kbId);
  }

  private async train(kbId: string): Promise<void> {
    let hash = '';
    try {
      const { revision, language, examples, intents: described } = await this.repository.trainingSet(kbId);
      // Each intent's name and description train as one more example each (the labelled ones are
      // what `examples` counts); a description edit therefore trains again.
      const training = [...examples, ...describingExamples(described, examples)];
      const embedder = this.models.encoderFor(language);
      hash = trainingHash(training, embedder?.modelId ?? null);
      // A training that failed on these very examples (time or memory limit) would fail again: it is
      // tried again once they change (or at the next start), not at every question.
      if (this.failures.get(kbId)?.trainingHash === hash) return;
      const current = this.trained.get(kbId);
      if (current?.trainingHash === hash) {
        // A change that left the training data as it was (a revision bump with nothing new): the model stays.
        this.trained.set(kbId, { ...current, revision });
        return;
      }
      const intents = new Set(examples.map((e) => e.intent));
      if (intents.size < 2) {
        this.trained.set(kbId, {
          revision,
          trainingHash: hash,
          classifier: null,
          labelsOnly: null,
          source: 'trained',
          trainedAt: new Date(),
          trainMillis: 0,
          examples: examples.length,
          report: null,
          trafficAt: null,
          selfTraining: null,
        });
        this.failures.delete(kbId);
        return;
      }
      if (await this.loadStored(kbId, revision, hash, embedder)) return;

      const started = Date.now();
      const result = await this.trainer.train(training, { embedder });
      if (this.closed) return;
      const trainedAt = new Date();
      const trainMillis = trainedAt.getTime() - started;
      // One assignment: a question labelled from here on sees the new classifier, never a mix.
      this.trained.set(kbId, {
        revision,
        trainingHash: hash,
        classifier: result.classifier,
        labelsOnly: result.classifier,
        source: 'trained',
        trainedAt,
        trainMillis,
        examples: examples.length,
        report: result.report,
        trafficAt: null,
        selfTraining: null,
      });
      this.failures.delete(kbId);
      this.logger.log(
        `KB ${kbId}: intent classifier trained on ${examples.length} examples of ${intents.size} intents in ${trainMillis} ms (revision ${revision}, cut ${result.classifier.threshold.toFixed(3)})`,
      );
      await this.repository.saveModel(kbId, {
        revision,
        trainingHash: hash,
        embedder: embedder?.modelId ?? null,
        examples: examples.length,
        model: result.json,
        report: result.report,
        trainMillis,
        trainedAt,
      });
    } catch (err) {
      this.failures.set(kbId, {
        message: (err as Error).message ?? String(err),
        at: new Date(),
        trainingHash: hash,
      });
      this.logger.error(`KB ${kbId}: intent training failed: ${String(err)}`);
    }
  }

  private trafficDue(entry: TrainedClassifier | undefined): boolean {
    const { trafficQuestions, trafficRefreshMs } = this.config.intentTraining;
    if (!entry?.classifier || trafficQuestions === 0) return false;
    return !entry.trafficAt || Date.now() - entry.trafficAt.getTime() >= trafficRefreshMs;
  }

  /**
   * Weighs the KB's classifier by the mix of its latest logged questions, or, where that mix is close
   * to the labels', trains it again on the questions it accepts (or confirms it stays as trained).
   * Starts from the classifier trained on the labels alone. A failure keeps the classifier as it is
   * until the next refresh.
   */
  private async adaptToTraffic(kbId: string): Promise<void> {
    const entry = this.trained.get(kbId);
    const labelsOnly = entry?.labelsOnly;
    if (!entry?.classifier || !labelsOnly || this.config.intentTraining.trafficQuestions === 0) return;
    let classifier = entry.classifier;
    let selfTraining = entry.selfTraining;
    try {
      const traffic = await this.repository.recentQuestions(
        kbId,
        this.config.intentTraining.trafficQuestions,
      );
      const questions = traffic.map((t) => t.question);
      const counts = traffic.map((t) => t.count);
      if (this.config.intentTraining.selfTraining) {
        const { language, examples, intents } = await this.repository.trainingSet(kbId);
        const training = [...examples, ...describingExamples(intents, examples)];
        const embedder = this.models.encoderFor(language);
        // The examples changed since this classifier was trained: the training under way gets its own estimate.
        if (trainingHash(training, embedder?.modelId ?? null) !== entry.trainingHash) return;
        const learnt = await learnFromTraffic(labelsOnly, training, questions, counts, async (all, kept) => {
          const started = Date.now();
          const result = await this.trainer.train(all, { embedder, ...kept });
          this.logger.log(
            `KB ${kbId}: intent classifier trained again with ${all.length - training.length} logged questions it accepted, in ${Date.now() - started} ms`,
          );
          return result.classifier;
        });
        [classifier, selfTraining] = [learnt.classifier, learnt.selfTraining];
      } else {
        classifier = await labelsOnly.adaptToTraffic(questions, counts);
        selfTraining = null;
      }
      if (classifier.traffic?.applied)
        this.logger.log(
          `KB ${kbId}: intent classifier ${classifier.traffic.reason}, from ${classifier.traffic.questions} questions`,
        );
    } catch (err) {
      this.logger.warn(`KB ${kbId}: the traffic's intent mix was not estimated: ${String(err)}`);
    }
    // Another training may have replaced the classifier meanwhile: that one gets its own estimate.
    const now = this.trained.get(kbId);
    if (this.closed || now?.labelsOnly !== labelsOnly) return;
    this.trained.set(kbId, { ...now, classifier, selfTraining, trafficAt: new Date() });
  }

  /** Takes the stored model when it was trained on exactly these examples; false: train. */
  private async loadStored(
    kbId: string,
    revision: number,
    hash: string,
    embedder: Embedder | undefined,
  ): Promise<boolean> {
    const stored = await this.repository.storedModel(kbId);
    if (stored?.trainingHash !== hash) return false;
    try {
      const classifier = await this.trainer.load(stored.model, embedder, stored.report);
      if (this.closed) return true;
      this.trained.set(kbId, {
        revision,
        trainingHash: hash,
        classifier,
        labelsOnly: classifier,
        source: 'stored',
        trainedAt: stored.trainedAt,
        trainMillis: stored.trainMillis,
        examples: stored.examples,
        report: stored.report,
        trafficAt: null,
        selfTraining: null,
      });
      this.failures.delete(kbId);
      return true;
    } catch (err) {
      this.logger.warn(`KB ${kbId}: the stored intent classifier did not load (${String(err)}); training`);
      return false;
    }
  }
}
