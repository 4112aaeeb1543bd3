/**
 * FAQ entries of a knowledge base.
 */
import { Module } from '@nestjs/common';
import { IndexesModule } from '../indexes/indexes.module';
import { KnowledgeBasesModule } from '../knowledge-bases/knowledge-bases.module';
import { FaqEntryRepository } from './faq-entry.repository';
import { FaqsController } from './faqs.controller';
import { FaqsService } from './faqs.service';

@Module({
  imports: [KnowledgeBasesModule, IndexesModule],
  controllers: [FaqsController],
  providers: [FaqsService, FaqEntryRepository],
})
export class FaqsModule {}
