/**
 * First-run demo knowledge base, its widget key and the /demo shop page that embeds the widget.
 */
import { Module } from '@nestjs/common';
import { ChatModule } from '../chat/chat.module';
import { DocumentsModule } from '../documents/documents.module';
import { KnowledgeBasesModule } from '../knowledge-bases/knowledge-bases.module';
import { DemoController } from './demo.controller';
import { DemoSeeder } from './demo-seeder';

@Module({
  imports: [KnowledgeBasesModule, DocumentsModule, ChatModule],
  controllers: [DemoController],
  providers: [DemoSeeder],
  exports: [DemoSeeder],
})
export class DemoModule {}
