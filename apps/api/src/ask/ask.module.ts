/**
 * Asking a knowledge base a question.
 */
import { Module } from '@nestjs/common';
import { IndexesModule } from '../indexes/indexes.module';
import { KnowledgeBasesModule } from '../knowledge-bases/knowledge-bases.module';
import { AskController } from './ask.controller';
import { AskService } from './ask.service';

@Module({
  imports: [KnowledgeBasesModule, IndexesModule],
  controllers: [AskController],
  providers: [AskService],
})
export class AskModule {}
