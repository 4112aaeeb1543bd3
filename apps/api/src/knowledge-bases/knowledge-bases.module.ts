/**
 * Knowledge bases: CRUD, thresholds and settings, export and import.
 */
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IndexesModule } from '../indexes/indexes.module';
import { KbTransferRepository } from './kb-transfer.repository';
import { KbTransferService } from './kb-transfer.service';
import { KnowledgeBase } from './knowledge-base.entity';
import { KnowledgeBaseRepository } from './knowledge-base.repository';
import { KnowledgeBasesController } from './knowledge-bases.controller';
import { KnowledgeBasesService } from './knowledge-bases.service';

@Module({
  imports: [TypeOrmModule.forFeature([KnowledgeBase]), IndexesModule],
  controllers: [KnowledgeBasesController],
  providers: [KnowledgeBasesService, KnowledgeBaseRepository, KbTransferService, KbTransferRepository],
  exports: [KnowledgeBasesService, KnowledgeBaseRepository],
})
export class KnowledgeBasesModule {}
