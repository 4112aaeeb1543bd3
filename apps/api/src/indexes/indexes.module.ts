/**
 * Per-KB retrieval indexes (in memory, persisted under <dataDir>/indexes).
 */
import { Module } from '@nestjs/common';
import { KbIndexRepository } from './kb-index.repository';
import { KbIndexService } from './kb-index.service';

@Module({ providers: [KbIndexService, KbIndexRepository], exports: [KbIndexService] })
export class IndexesModule {}
