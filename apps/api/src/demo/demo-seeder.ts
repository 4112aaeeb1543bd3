/**
 * Seeds the demo knowledge base on first start (empty database, WENDAO_DEMO not false), through
 * the same ingestion path as uploads, so the demo exercises parsing, chunking and indexing.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DocumentsService } from '../documents/documents.service';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import { DEMO_FAQS, DEMO_KB, DEMO_POLICY_FILE, DEMO_POLICY_MARKDOWN } from './demo-knowledge-base';

@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger('DemoSeeder');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly kbs: KnowledgeBasesService,
    private readonly documents: DocumentsService,
  ) {}

  /** Creates the demo KB when enabled and the database holds no KB; returns its id if created. */
  async seedIfEmpty(): Promise<string | undefined> {
    if (!this.config.demo) return undefined;
    const [{ count }] = await this.db.query('SELECT count(*)::int AS count FROM knowledge_base');
    if (count > 0) return undefined;
    const kb = await this.kbs.create(DEMO_KB);
    const files = [
      {
        originalname: 'demo-faqs.json',
        mimetype: 'application/json',
        buffer: Buffer.from(JSON.stringify(DEMO_FAQS, null, 2)),
      },
      {
        originalname: DEMO_POLICY_FILE,
        mimetype: 'text/markdown',
        buffer: Buffer.from(DEMO_POLICY_MARKDOWN),
      },
    ];
    for (const file of files) {
      const job = await this.documents.ingestNow(kb.id, { ...file, size: file.buffer.length });
      if (job.status !== 'succeeded')
        throw new Error(`demo seeding failed on ${file.originalname}: ${job.error}`);
    }
    this.logger.log(
      `seeded the demo knowledge base ${kb.id} (${DEMO_FAQS.length} FAQs and the after-sales policy)`,
    );
    return kb.id;
  }
}
