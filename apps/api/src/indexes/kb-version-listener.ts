/**
 * Keeps this replica's KB indexes in step with the other replicas: a dedicated PostgreSQL
 * connection LISTENs on `wendao_kb_version` (announced by a trigger on knowledge_base.version,
 * migration 1765600000000) and catches the KB's index up as soon as a version is announced, so the
 * next question finds it ready. A lost connection is reopened with backoff, and after every
 * (re)connect each KB's version is compared with PostgreSQL, catching up what was announced while
 * nobody listened. Questions never depend on this for correctness: each reads the KB's version
 * from PostgreSQL and waits for its index to reach it.
 */
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Client, type Notification } from 'pg';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { AuthRepository } from '../auth/auth.repository';
import { KbCalibrationService } from './kb-calibration.service';
import { KbIndexRepository } from './kb-index.repository';
import { KbIndexService } from './kb-index.service';

export const KB_VERSION_CHANNEL = 'wendao_kb_version';
export const KB_CALIBRATION_CHANNEL = 'wendao_kb_calibration';
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 10_000;

@Injectable()
export class KbVersionListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('KbVersionListener');
  private client?: Client;
  private closed = false;
  private failures = 0;
  private retry?: NodeJS.Timeout;
  /** The newest version announced per KB (what this replica has been told about). */
  private readonly announced = new Map<string, number>();
  /** Connections made since start (1 + reconnects); tests and logs. */
  connections = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly indexes: KbIndexService,
    private readonly calibrations: KbCalibrationService,
    private readonly repository: KbIndexRepository,
    private readonly access: AuthRepository,
  ) {}

  /** True while the LISTEN connection is open. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** KBs whose in-memory index is behind the newest announced version. */
  behind(): { kbId: string; loaded: number; announced: number }[] {
    const out: { kbId: string; loaded: number; announced: number }[] = [];
    for (const [kbId, announced] of this.announced) {
      const loaded = this.indexes.loadedVersion(kbId);
      if (loaded !== undefined && loaded < announced) out.push({ kbId, loaded, announced });
    }
    return out;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.databaseUrl || this.config.role === 'worker') return;
    await this.connect();
    // Announcements during the start-up warm-up reach only the KBs already loaded; compare once more.
    this.indexes.onReady(() => {
      if (this.client)
        this.reconcile().catch((err: unknown) =>
          this.logger.warn(`comparing KB versions failed: ${(err as Error).message}`),
        );
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new Client({
      connectionString: this.config.databaseUrl,
      application_name: 'wendao-kb-version-listener',
    });
    client.on('notification', (msg) => this.onNotification(msg));
    client.on('error', (err) => this.lost(client, err.message));
    client.on('end', () => this.lost(client, 'connection ended'));
    try {
      await client.connect();
      await client.query(`LISTEN ${KB_VERSION_CHANNEL}`);
      await client.query(`LISTEN ${KB_CALIBRATION_CHANNEL}`);
    } catch (err) {
      this.lost(client, (err as Error).message);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.connections++;
    if (this.failures > 0) this.logger.log(`listening again after ${this.failures} failed attempt(s)`);
    this.failures = 0;
    // Whatever was announced while nobody listened (or before LISTEN began) is found by comparing.
    await this.reconcile().catch((err: unknown) =>
      this.logger.warn(`comparing KB versions failed: ${(err as Error).message}`),
    );
  }

  private lost(client: Client, reason: string): void {
    client.removeAllListeners('end');
    client.removeAllListeners('error');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.client === client) this.client = undefined;
    if (this.closed || this.retry) return;
    const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** this.failures);
    this.failures++;
    this.logger.warn(`KB version channel lost (${reason}); reconnecting in ${delay} ms`);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, delay);
    this.retry.unref();
  }

  /**
   * Catches up every loaded index behind PostgreSQL, loads new KBs (of this replica group's
   * organisations, WENDAO_SHARD_ORGANISATIONS), forgets deleted ones.
   */
  private async reconcile(): Promise<void> {
    const kbs = await this.repository.kbIds(this.config.shardOrganisations);
    const existing = new Set(kbs.map((kb) => kb.id));
    for (const kbId of this.indexes.loadedKbIds())
      if (!existing.has(kbId) && (await this.repository.kbVersion(kbId)) === null) this.indexes.forget(kbId);
    for (const { id, version } of kbs) {
      // Calibrations stored while nobody listened are read again on the next question.
      this.calibrations.reload(id);
      const loaded = this.indexes.loadedVersion(id);
      if (loaded === undefined ? this.indexes.ready : loaded < version) this.catchUp(id, version);
    }
  }

  private onNotification(msg: Notification): void {
    let payload: { kbId?: unknown; version?: unknown; deleted?: unknown };
    try {
      payload = JSON.parse(msg.payload ?? '');
    } catch {
      return;
    }
    if (typeof payload.kbId !== 'string') return;
    const kbId = payload.kbId;
    if (msg.channel === KB_CALIBRATION_CHANNEL) {
      this.calibrations.reload(kbId);
      return;
    }
    if (payload.deleted === true) {
      this.announced.delete(kbId);
      this.indexes.forget(kbId);
      this.calibrations.forget(kbId);
      this.access.forgetKb(kbId);
      return;
    }
    if (typeof payload.version !== 'number') return;
    const version = payload.version;
    this.announced.set(kbId, Math.max(version, this.announced.get(kbId) ?? 0));
    if (this.indexes.loadedVersion(kbId) !== undefined) return this.catchUp(kbId, version);
    // A KB not in memory (created elsewhere) is loaded once the start-up warm-up is over, if this
    // replica group serves its organisation.
    if (!this.indexes.ready) return;
    if (this.config.shardOrganisations.length === 0) return this.catchUp(kbId, version);
    this.repository
      .kbOrganisation(kbId)
      .then((organisation) => {
        if (organisation && this.config.shardOrganisations.includes(organisation))
          this.catchUp(kbId, version);
      })
      .catch((err: unknown) => this.logger.warn(`looking up KB ${kbId} failed: ${(err as Error).message}`));
  }

  private catchUp(kbId: string, version: number): void {
    this.indexes.ensure(kbId, version).catch((err: unknown) => {
      if (!this.closed)
        this.logger.warn(`catching up KB ${kbId} to v${version} failed: ${(err as Error).message}`);
    });
  }
}
