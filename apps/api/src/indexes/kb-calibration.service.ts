/**
 * Keeps every KB's thresholds calibrated on its content: after a KB's index reaches a new version
 * (a publish, an FAQ edit, a rebuild) a calibration runs in the background, in slices that yield to
 * the event loop, and its result replaces the old one in one assignment (and in PostgreSQL, so the
 * KB API shows it and a restart starts from it). Questions asked meanwhile use the previous values.
 * One process calibrates each KB version, under a PostgreSQL advisory lock; the other replicas wait
 * for it and read the stored result (announced on wendao_kb_calibration).
 */
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { DEFAULT_THRESHOLDS, type KnowledgeIndex, ThresholdCalibrator } from '@wendao/answer';
import { KeyedBackgroundRunner } from '../common/keyed-background-runner';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { KbCalibration, KbLanguage } from '../knowledge-bases/knowledge-base.entity';
import { WendaoMetrics } from '../metrics/wendao-metrics';
import { ModelsService } from '../models/models.service';
import { KbIndexRepository } from './kb-index.repository';
import { KbIndexService } from './kb-index.service';

/**
 * Edits arriving in a burst (an import, a bulk FAQ change) calibrate once, after the burst; under a
 * steady stream of edits a KB calibrates again only after 4x its last calibration's duration, so
 * calibrating takes at most ~20 % of the main thread (the soak bench's 2 FAQ edits/s on one KB had it
 * calibrating back to back: 55 % of the main thread's samples). The edits themselves are answerable
 * at once; only the thresholds lag, by a few seconds.
 */
const SCHEDULE = { debounceMs: 300, spacingFactor: 4 };

/** The precision thresholds are calibrated for when the KB sets none. */
export const DEFAULT_TARGET_PRECISION = 0.9;

@Injectable()
export class KbCalibrationService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('KbCalibrationService');
  /** The last calibration per KB: undefined = not read yet, null = none stored. */
  private readonly calibrations = new Map<string, KbCalibration | null>();
  private readonly runner = new KeyedBackgroundRunner((kbId) => this.run(kbId), SCHEDULE);
  private closed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly models: ModelsService,
    private readonly indexes: KbIndexService,
    private readonly repository: KbIndexRepository,
    private readonly metrics: WendaoMetrics,
  ) {}

  onModuleInit(): void {
    this.indexes.onVersion((kbId) => this.schedule(kbId));
  }

  onApplicationShutdown(): void {
    this.closed = true;
    this.runner.close();
  }

  /** The KB's last calibration (from memory, else PostgreSQL), or null when it has none. */
  async current(kbId: string): Promise<KbCalibration | null> {
    let current = this.calibrations.get(kbId);
    if (current === undefined) {
      current = await this.repository.calibration(kbId);
      this.calibrations.set(kbId, current);
    }
    return current;
  }

  /** Waits for a scheduled or running calibration of the KB (tests, the CLI). */
  settled(kbId: string): Promise<void> {
    return this.runner.settled(kbId);
  }

  /** Calibrates again (e.g. after the KB's target precision changed). */
  schedule(kbId: string): void {
    // The API replicas calibrate as their indexes reach a version; a worker keeps no index.
    if (this.config.role !== 'worker') this.runner.schedule(kbId);
  }

  /**
   * Another replica stored a calibration of the KB (NOTIFY wendao_kb_calibration): the next
   * question reads it from PostgreSQL instead of using the one remembered here.
   */
  reload(kbId: string): void {
    this.calibrations.delete(kbId);
  }

  forget(kbId: string): void {
    this.runner.forget(kbId);
    this.calibrations.delete(kbId);
  }

  private async run(kbId: string): Promise<void> {
    try {
      const kb = await this.repository.calibrationInputs(kbId);
      if (!kb) return;
      const pipeline = this.models.pipeline;
      const modes = pipeline.scoreModes(kb.language);
      const targetPrecision = kb.settings.targetPrecision ?? DEFAULT_TARGET_PRECISION;
      /** 'fits': the calibration of this version and settings; 'newer': of a later version. */
      const judge = (c: KbCalibration | null | undefined, version: number) =>
        !c
          ? undefined
          : c.kbVersion > version
            ? 'newer'
            : c.kbVersion === version &&
                c.modes.faq === modes.faq &&
                c.modes.answer === modes.answer &&
                c.report.targetPrecision === targetPrecision
              ? 'fits'
              : undefined;
      // The newer of this replica's and PostgreSQL's: another replica may have calibrated this version.
      const newest = (stored: KbCalibration | null) => {
        const mine = this.calibrations.get(kbId);
        return mine && (!stored || mine.kbVersion > stored.kbVersion) ? mine : stored;
      };
      let index = await this.indexes.ensure(kbId, kb.version);
      const before = newest(kb.calibration);
      const seen = judge(before, index.version);
      if (seen === 'fits') this.calibrations.set(kbId, before!);
      // 'newer': this index is behind; it calibrates (or reads the stored result) once it catches up.
      if (seen) return;
      // One process calibrates a KB version (tens of seconds of CPU on a large KB): the others wait for
      // its lock, then read the result it stored instead of calibrating the same version again.
      await this.repository.withCalibrationLock(kbId, async () => {
        index = await this.indexes.ensure(kbId, kb.version);
        const stored = newest(await this.repository.calibration(kbId));
        const found = judge(stored, index.version);
        if (found === 'fits') {
          this.calibrations.set(kbId, stored!);
          this.logger.log(`KB ${kbId} v${index.version}: calibrated by another process; read its thresholds`);
        }
        if (!found && !this.closed) await this.calibrate(kbId, index, kb.language, targetPrecision, modes);
      });
    } catch (err) {
      if (this.closed) return;
      this.metrics.calibrationRuns.inc({ outcome: 'failed' });
      this.logger.warn(`calibration of KB ${kbId} failed: ${(err as Error).message}`);
    }
  }

  private async calibrate(
    kbId: string,
    index: KnowledgeIndex,
    language: KbLanguage,
    targetPrecision: number,
    modes: KbCalibration['modes'],
  ): Promise<void> {
    const pipeline = this.models.pipeline;
    const calibrator = new ThresholdCalibrator({
      language,
      targetPrecision,
      defaults: { ...DEFAULT_THRESHOLDS[modes.faq], answer: DEFAULT_THRESHOLDS[modes.answer].answer },
      embedder: pipeline.embedderFor(language),
      reader: pipeline.readerFor(language),
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
    this.calibrations.set(kbId, calibration);
    this.metrics.calibrationRuns.inc({ outcome: report.calibrated ? 'calibrated' : 'too_small' });
    this.logger.log(
      `KB ${kbId} v${version}: ${report.reason}; thresholds faq ${thresholds.faq}, clarify ${thresholds.clarify}, margin ${thresholds.margin}, answer ${thresholds.answer} (${report.millis} ms)`,
    );
  }
}
