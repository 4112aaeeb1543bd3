/**
 * The unanswered inbox: what customers asked that the bot could not answer, grouped.
 */
import { Module } from '@nestjs/common';
import { KnowledgeBasesModule } from '../knowledge-bases/knowledge-bases.module';
import { ModelsModule } from '../models/models.module';
import { UnansweredController } from './unanswered.controller';
import { UnansweredRepository } from './unanswered.repository';
import { UnansweredService } from './unanswered.service';

@Module({
  imports: [KnowledgeBasesModule, ModelsModule],
  controllers: [UnansweredController],
  providers: [UnansweredService, UnansweredRepository],
})
export class UnansweredModule {}
