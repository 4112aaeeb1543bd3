/**
 * Analytics (issue 15): the question event log that the REST ask and the chat write to, and the
 * dashboard's aggregates over it (/api/kbs/:id/analytics/...).
 */
import { Module } from '@nestjs/common';
import { IntentsModule } from '../intents/intents.module';
import { KnowledgeBasesModule } from '../knowledge-bases/knowledge-bases.module';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsRepository } from './analytics.repository';
import { AnalyticsService } from './analytics.service';
import { QuestionEventRecorder } from './question-event-recorder';

@Module({
  imports: [KnowledgeBasesModule, IntentsModule],
  controllers: [AnalyticsController],
  providers: [AnalyticsRepository, AnalyticsService, QuestionEventRecorder],
  exports: [QuestionEventRecorder],
})
export class AnalyticsModule {}
