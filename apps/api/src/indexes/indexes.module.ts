/**
 * Per-KB retrieval indexes (in memory, persisted under <dataDir>/indexes), kept in step across
 * replicas by LISTEN/NOTIFY, and their calibrated thresholds.
 */
import { Module } from '@nestjs/common';
import { KbCalibrationService } from './kb-calibration.service';
import { KbIndexRepository } from './kb-index.repository';
import { KbIndexService } from './kb-index.service';
import { KbVersionListener } from './kb-version-listener';

@Module({
  providers: [KbIndexService, KbIndexRepository, KbCalibrationService, KbVersionListener],
  exports: [KbIndexService, KbCalibrationService, KbVersionListener],
})
export class IndexesModule {}
