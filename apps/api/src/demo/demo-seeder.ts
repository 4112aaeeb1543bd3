/**
 * Seeds the demo knowledge base on first start (empty database, WENDAO_DEMO not false) into the
 * first organisation, through the same ingestion path as uploads, so the demo exercises parsing,
 * chunking and indexing; and the widget key the /demo page embeds, allowed from the origins of the
 * API processes that serve /demo (each adds its own: replicas on other ports, a restart on a new PORT)
 * until an admin sets the key's origins.
 */
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuthRepository } from '../auth/auth.repository';
import { WidgetKeysService } from '../chat/widget-keys.service';
import type { WidgetKey } from '../chat/widget-key';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { DocumentsService } from '../documents/documents.service';
import { KnowledgeBaseRepository } from '../knowledge-bases/knowledge-base.repository';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import { DEMO_FAQS, DEMO_KB, DEMO_POLICY_FILE, DEMO_POLICY_MARKDOWN } from './demo-knowledge-base';

/** The name the demo KB's widget key is listed with, so an admin knows what uses it. */
const DEMO_KEY_NAME = 'Demo page (/demo)';

@Injectable()
export class DemoSeeder {
  private readonly logger = new Logger('DemoSeeder');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly kbRows: KnowledgeBaseRepository,
    private readonly kbs: KnowledgeBasesService,
    private readonly documents: DocumentsService,
    private readonly widgetKeys: WidgetKeysService,
    private readonly auth: AuthRepository,
  ) {}

  /**
   * The origins the demo page is opened from: this server on localhost. Another host name (a LAN
   * address, a proxy) needs its own key: POST /api/kbs/:id/widget-keys.
   */
  demoOrigins(): string[] {
    const port = this.config.port;
    return [`http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`];
  }

  /** The demo KB (the oldest KB with the demo's name), if it was seeded. */
  private demoKbId(): Promise<string | undefined> {
    return this.kbRows.oldestIdByName(DEMO_KB.name);
  }

  /** The demo KB's oldest widget key that is not revoked. */
  private async liveDemoKey(kbId: string): Promise<WidgetKey | undefined> {
    return (await this.widgetKeys.list(kbId)).find((k) => !k.revokedAt);
  }

  /**
   * The demo key allowed from this process's origins too. Several API processes share one key (ports
   * 3101 and 3102 behind a balancer, or a restart on another PORT): each adds what it lacks, nothing
   * is taken away. Only a key this seeder made (its name) is widened, and only until an admin sets its
   * origins: from then on they are the admin's, and the page says when they leave it out. Origins
   * only grow, so no open socket has to be disconnected.
   */
  private async allowedHere(kbId: string, key: WidgetKey): Promise<WidgetKey> {
    const lacks = this.demoOrigins().some((o) => !key.allowedOrigins.includes(o));
    // None listed: every origin may already.
    if (key.name !== DEMO_KEY_NAME || !key.allowedOrigins.length || !lacks) return key;
    const widened = await this.widgetKeys.addOriginsUnlessEdited(kbId, key.id, this.demoOrigins());
    if (!widened) return key;
    const added = widened.allowedOrigins.filter((o) => !key.allowedOrigins.includes(o));
    this.logger.log(`the demo widget key now allows ${added.join(', ')} too`);
    return widened;
  }

  /**
   * The key the /demo page embeds: the demo KB's oldest live widget key (allowed from this process's
   * origins if it is the seeder's and no admin set its origins), a new one if an admin revoked them
   * all; undefined without a demo KB.
   */
  async demoWidgetKey(): Promise<WidgetKey | undefined> {
    const kbId = await this.demoKbId();
    if (!kbId) return undefined;
    const live = await this.liveDemoKey(kbId);
    if (live) return this.allowedHere(kbId, live);
    return this.widgetKeys.create(kbId, this.demoOrigins(), DEMO_KEY_NAME);
  }

  /**
   * Once the server listens (not before: a start that fails must not widen the key for a server that
   * never ran), gives the demo KB a widget key when it has no live one (also a demo KB seeded before
   * keys existed, or whose key an admin revoked), and has the demo key allow this process's origins.
   * Only a process that serves /demo: a worker (WENDAO_ROLE=worker, no HTTP) has no origin, and its
   * PORT (by default 3000) would make the key for a server nobody opens.
   */
  async ensureDemoWidgetKey(): Promise<void> {
    if (!this.config.demo || this.config.role === 'worker') return;
    const kbId = await this.demoKbId();
    if (!kbId) return;
    const live = await this.liveDemoKey(kbId);
    if (live) {
      await this.allowedHere(kbId, live);
      return;
    }
    await this.widgetKeys.create(kbId, this.demoOrigins(), DEMO_KEY_NAME);
    this.logger.log(`created the demo widget key (origins ${this.demoOrigins().join(', ')})`);
  }

  /**
   * Creates the demo KB when enabled and the database holds no KB; returns its id if created.
   * Processes starting together on a fresh database (replicas, a worker) take turns, as they do for the
   * migrations: each found no KB and seeded its own demo KB. The next in turn finds it (ingested) and
   * seeds nothing.
   */
  async seedIfEmpty(): Promise<string | undefined> {
    if (!this.config.demo) return undefined;
    return this.kbRows.whileSeedingDemo(() => this.seedUnlessAnyKb());
  }

  private async seedUnlessAnyKb(): Promise<string | undefined> {
    if (!(await this.kbRows.noneYet())) return undefined;
    // The first organisation (the demo owner's, made just before when no user existed).
    const organisationId =
      (await this.auth.organisations())[0]?.id ?? (await this.auth.createOrganisation('Demo'));
    const kb = await this.kbs.create(DEMO_KB, organisationId);
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
