/**
 * First-run demo knowledge base.
 */
import { Module } from '@nestjs/common';
import { DocumentsModule } from '../documents/documents.module';
import { KnowledgeBasesModule } from '../knowledge-bases/knowledge-bases.module';
import { DemoSeeder } from './demo-seeder';

@Module({ imports: [KnowledgeBasesModule, DocumentsModule], providers: [DemoSeeder], exports: [DemoSeeder] })
export class DemoModule {}
