/**
 * Documents and their ingestion jobs: multipart upload, the queue (in-process or BullMQ), the
 * ingestion pipeline and its progress events.
 */
import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { IndexesModule } from '../indexes/indexes.module';
import { KnowledgeBasesModule } from '../knowledge-bases/knowledge-bases.module';
import { BullMqIngestionQueue } from './bullmq-ingestion-queue';
import { DocumentRepository } from './document.repository';
import { DocumentsController } from './documents.controller';
import { DocumentsService } from './documents.service';
import { InProcessIngestionQueue } from './in-process-ingestion-queue';
import { INGESTION_QUEUE, type IngestionQueue } from './ingestion-queue';
import { IngestionJobRepository } from './ingestion-job.repository';
import { IngestionService } from './ingestion.service';
import { JobEvents } from './job-events';
import { JobSweeper } from './job-sweeper';
import { ParserPool } from '@wendao/ingest';

@Module({
  imports: [
    KnowledgeBasesModule,
    IndexesModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        limits: { fileSize: config.uploadMaxBytes, files: config.uploadMaxFiles },
        // Browsers send UTF-8 file names without declaring a charset.
        defParamCharset: 'utf8',
      }),
    }),
  ],
  controllers: [DocumentsController],
  providers: [
    DocumentsService,
    DocumentRepository,
    IngestionJobRepository,
    IngestionService,
    JobEvents,
    JobSweeper,
    {
      provide: ParserPool,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        new ParserPool({
          size: config.parsing.workers,
          timeoutMs: config.parsing.timeoutMs,
          maxHeapMb: config.parsing.maxHeapMb,
        }),
    },
    {
      provide: INGESTION_QUEUE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): IngestionQueue =>
        config.redisUrl
          ? new BullMqIngestionQueue(config.redisUrl, config.redisPrefix, config.role !== 'api')
          : new InProcessIngestionQueue(),
    },
  ],
  exports: [DocumentsService, JobEvents],
})
export class DocumentsModule {}
