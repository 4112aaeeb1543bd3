/**
 * Intent recognition (issue 15): intents with labelled examples per KB, and the few-shot classifier
 * trained on them in a worker thread (IntentTrainer) and stored in PostgreSQL; KbIntentClassifierService
 * labels the question log's messages.
 */
import { Module } from '@nestjs/common';
import { IntentTrainer } from '@wendao/intent';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { KnowledgeBasesModule } from '../knowledge-bases/knowledge-bases.module';
import { IntentsController } from './intents.controller';
import { IntentsRepository } from './intents.repository';
import { IntentsService } from './intents.service';
import { KbIntentClassifierService } from './kb-intent-classifier.service';

@Module({
  imports: [KnowledgeBasesModule],
  controllers: [IntentsController],
  providers: [
    IntentsRepository,
    IntentsService,
    KbIntentClassifierService,
    {
      provide: IntentTrainer,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new IntentTrainer({
          timeoutMs: config.intentTraining.timeoutMs,
          maxHeapMb: config.intentTraining.maxHeapMb,
        }),
    },
  ],
  exports: [KbIntentClassifierService],
})
export class IntentsModule {}
