/**
 * Keeps every KB's thresholds calibrated on its content: after a KB's index reaches a new version
 * (a publish, an FAQ edit, a rebuild) a calibration runs in the background, in slices that yield to
 * the event loop, and its result replaces the old one in one assignment (and in PostgreSQL, so the
 * KB API shows it and a restart starts from it). Questions asked meanwhile use the previous values.
 */
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DEFAULT_THRESHOLDS, ThresholdCalibrator } from '@wendao/answer';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { KbCalibration } from '../knowledge-bases/knowledge-base.entity';
import { ModelsService } from '../models/models.service';
import { KbIndexRepository } from './kb-index.repository';
import { KbIndexService } from './kb-index.service';

/** Edits arriving in a burst (an import, a bulk FAQ change) calibrate once, after the burst. */
const DEBOUNCE_MS = 300;
/**
 * Under a steady stream of edits, a KB calibrates again only after this many times its last
 * calibration's duration, so calibrating takes at most ~1/(1+N) of the main thread (the soak bench's
 * 2 FAQ edits/s on one KB had it calibrating back to back: 55 % of the main thread's samples). The
 * edits themselves are answerable at once; only the thresholds lag, by a few seconds.
 */
const SPACING_FACTOR = 4;

/** How long to wait before calibrating a KB: the debounce, or longer right after a long calibration. */
export function calibrationDelay(last: { lastEnded?: number; lastMillis?: number }, now: number): number {
  if (last.lastEnded === undefined) return DEBOUNCE_MS;
  return Math.max(DEBOUNCE_MS, last.lastEnded + SPACING_FACTOR * (last.lastMillis ?? 0) - now);
}

interface CalibrationState {
  current?: KbCalibration | null;
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  /** A new version arrived while calibrating: run again when done. */
  again?: boolean;
  /** When the last calibration ended and how long it ran (ms), to space the next one. */
  lastEnded?: number;
  lastMillis?: number;
}

@Injectable()
export class KbCalibrationService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('KbCalibrationService');
  private readonly states = new Map<string, CalibrationState>();
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly models: ModelsService,
    private readonly indexes: KbIndexService,
    private readonly repository: KbIndexRepository,
  ) {}

  onModuleInit(): void {
    this.indexes.onVersion((kbId) => this.schedule(kbId));
  }

  onApplicationShutdown(): void {
    this.closed = true;
    for (const state of this.states.values()) if (state.timer) clearTimeout(state.timer);
  }

  /** The KB's last calibration (from memory, else PostgreSQL), or null when it has none. */
  async current(kbId: string): Promise<KbCalibration | null> {
    const state = this.state(kbId);
    if (state.current === undefined) state.current = await this.repository.calibration(kbId);
    return state.current;
  }

  /** Waits for a scheduled or running calibration of the KB (tests, the CLI). */
  async settled(kbId: string): Promise<void> {
    for (;;) {
      const state = this.state(kbId);
      if (state.timer) await new Promise((r) => setTimeout(r, DEBOUNCE_MS));
      else if (state.running) await state.running;
      else return;
    }
  }

  /** Calibrates again (e.g. after the KB's target precision changed). */
  schedule(kbId: string): void {
    // The API replicas calibrate as their indexes reach a version; a worker keeps no index.
    if (this.closed || this.config.role === 'worker') return;
    const state = this.state(kbId);
    if (state.running) {
      state.again = true;
      return;
    }
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(
      () => {
        state.timer = undefined;
        const started = Date.now();
        state.running = this.run(kbId).finally(() => {
          state.running = undefined;
          state.lastEnded = Date.now();
          state.lastMillis = state.lastEnded - started;
          if (state.again) {
            state.again = false;
            this.schedule(kbId);
          }
        });
      },
      calibrationDelay(state, Date.now()),
    );
    state.timer.unref();
  }

  /**
   * Another replica stored a calibration of the KB (NOTIFY wendao_kb_calibration): the next
   * question reads it from PostgreSQL instead of using the one remembered here.
   */
  reload(kbId: string): void {
    const state = this.states.get(kbId);
    if (state) state.current = undefined;
  }

  forget(kbId: string): void {
    const state = this.states.get(kbId);
    if (state?.timer) clearTimeout(state.timer);
    this.states.delete(kbId);
  }

  private state(kbId: string): CalibrationState {
    let state = this.states.get(kbId);
    if (!state) {
      state = {};
      this.states.set(kbId, state);
    }
    return state;
  }

  private async run(kbId: string): Promise<void> {
    try {
      const kb = await this.repository.calibrationInputs(kbId);
      if (!kb) return;
      const index = await this.indexes.ensure(kbId, kb.version);
      const pipeline = this.models.pipeline;
      const modes = pipeline.scoreModes;
      // The newer of this replica's and PostgreSQL's: another replica may have calibrated this version.
      const mine = this.state(kbId).current;
      const stored =
        mine && (!kb.calibration || mine.kbVersion > kb.calibration.kbVersion) ? mine : kb.calibration;
      if (
        stored &&
        stored.kbVersion === index.version &&
        stored.modes.faq === modes.faq &&
        stored.modes.answer === modes.answer &&
        stored.report.targetPrecision === (kb.settings.targetPrecision ?? 0.9)
      ) {
        this.state(kbId).current = stored;
        return;
      }
      const calibrator = new ThresholdCalibrator({
        language: kb.language,
        targetPrecision: kb.settings.targetPrecision ?? 0.9,
        defaults: { ...DEFAULT_THRESHOLDS[modes.faq], answer: DEFAULT_THRESHOLDS[modes.answer].answer },
        embedder: pipeline.embedder,
        reader: pipeline.reader,
        readerPassages: this.config.readerPassages,
      });
      const version = index.version;
      const { thresholds, ...report } = await calibrator.calibrate(index);
      if (this.closed) return;
      const calibration: KbCalibration = {
        calibrated: report.calibrated,
        kbVersion: version,
        modes,
        thresholds,
        calibratedAt: new Date().toISOString(),
        report,
      };
      // Uncalibrated (too small): keep the defaults in force, but store why.
      await this.repository.storeCalibration(kbId, calibration);
      this.state(kbId).current = calibration;
      this.logger.log(
        `KB ${kbId} v${version}: ${report.reason}; thresholds faq ${thresholds.faq}, clarify ${thresholds.clarify}, margin ${thresholds.margin}, answer ${thresholds.answer} (${report.millis} ms)`,
      );
    } catch (err) {
      if (!this.closed) this.logger.warn(`calibration of KB ${kbId} failed: ${(err as Error).message}`);
    }
  }
}
