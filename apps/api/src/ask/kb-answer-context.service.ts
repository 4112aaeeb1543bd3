/**
 * What running the one answer pipeline on a KB needs, built in one place for every caller (the REST
 * ask, the chat): the KB, the pipeline over the loaded models, the thresholds in force (calibrated on
 * the KB's content, else its overrides or the mode's defaults) and, when asked for, its index.
 */
import { Injectable } from '@nestjs/common';
import {
  thresholdsFor,
  type AnswerPipeline,
  type AnswerThresholds,
  type KnowledgeIndex,
} from '@wendao/answer';
import { KbCalibrationService } from '../indexes/kb-calibration.service';
import { KbIndexService } from '../indexes/kb-index.service';
import type { KnowledgeBase } from '../knowledge-bases/knowledge-base.entity';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import { ModelsService } from '../models/models.service';

export interface KbAnswerContext {
  kb: KnowledgeBase;
  pipeline: AnswerPipeline;
  thresholds: AnswerThresholds;
  /** Waits for the KB's index at the KB's version (loaded or rebuilt on first use). */
  index(): Promise<KnowledgeIndex>;
}

@Injectable()
export class KbAnswerContextService {
  constructor(
    private readonly kbs: KnowledgeBasesService,
    private readonly indexes: KbIndexService,
    private readonly calibrations: KbCalibrationService,
    private readonly models: ModelsService,
  ) {}

  /** The KB's answer context; a 404 when the KB does not exist. */
  async forKb(kbId: string): Promise<KbAnswerContext> {
    const kb = await this.kbs.require(kbId);
    const pipeline = this.models.pipeline;
    const { thresholds } = thresholdsFor(
      pipeline.scoreModes(kb.language),
      kb,
      await this.calibrations.current(kb.id),
    );
    return { kb, pipeline, thresholds, index: () => this.indexes.ensure(kb.id, kb.version) };
  }
}
