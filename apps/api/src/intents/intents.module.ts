/**
 * Intent recognition (issue 15): intents with labelled examples per KB, and the few-shot classifier
 * trained on them in the background; KbIntentClassifierService labels the question log's messages.
 */
import { Module } from '@nestjs/common';
import { KnowledgeBasesModule } from '../knowledge-bases/knowledge-bases.module';
import { IntentsController } from './intents.controller';
import { IntentsRepository } from './intents.repository';
import { IntentsService } from './intents.service';
import { KbIntentClassifierService } from './kb-intent-classifier.service';

@Module({
  imports: [KnowledgeBasesModule],
  controllers: [IntentsController],
  providers: [IntentsRepository, IntentsService, KbIntentClassifierService],
  exports: [KbIntentClassifierService],
})
export class IntentsModule {}
