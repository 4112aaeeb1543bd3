/**
 * Per-KB retrieval indexes (in memory, persisted under <dataDir>/indexes) and their calibrated thresholds.
 */
import { Module } from '@nestjs/common';
import { KbCalibrationService } from './kb-calibration.service';
import { KbIndexRepository } from './kb-index.repository';
import { KbIndexService } from './kb-index.service';

@Module({
  providers: [KbIndexService, KbIndexRepository, KbCalibrationService],
  exports: [KbIndexService, KbCalibrationService],
})
export class IndexesModule {}
