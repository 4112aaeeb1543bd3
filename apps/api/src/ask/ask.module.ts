/**
 * Asking a knowledge base a question (and the answer context the chat's dialogue shares with it).
 */
import { Module } from '@nestjs/common';
import { AnalyticsModule } from '../analytics/analytics.module';
import { IndexesModule } from '../indexes/indexes.module';
import { KnowledgeBasesModule } from '../knowledge-bases/knowledge-bases.module';
import { AskController } from './ask.controller';
import { AskService } from './ask.service';
import { KbAnswerContextService } from './kb-answer-context.service';

@Module({
  imports: [KnowledgeBasesModule, IndexesModule, AnalyticsModule],
  controllers: [AskController],
  providers: [AskService, KbAnswerContextService],
  exports: [KbAnswerContextService],
})
export class AskModule {}
