/**
 * Owns every KB's in-memory retrieval index. An index is loaded from <dataDir>/indexes/<kbId>
 * when its manifest matches the KB version (and encoder), otherwise rebuilt from PostgreSQL,
 * the source of truth. Writers change PostgreSQL first, then apply the same change here through
 * `write`, which keeps askers from rebuilding while a just-committed change is being applied.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ModelsService } from '../models/models.service';
import { fromFloat4Bytes, toFloat4Bytes } from './embedding-bytes';
import { KnowledgeIndex, faqPhrasings, type IndexedFaq } from '@wendao/answer';
import { KbIndexRepository } from './kb-index.repository';

interface KbIndexState {
  index?: KnowledgeIndex;
  /** A load/rebuild in progress; askers share it. */
  loading?: Promise<KnowledgeIndex>;
  /** Committed changes not yet applied to `index`. */
  pendingWrites: Set<Promise<unknown>>;
  saveTimer?: NodeJS.Timeout;
}

/** What a writer hands back after its transaction committed. */
export interface IndexChange<T> {
  /** The KB version the transaction published. */
  version: number;
  /** Applies the change to the index of the previous version; must be synchronous. */
  apply?: (index: KnowledgeIndex) => void;
  result: T;
}

const SAVE_DELAY_MS = 2000;

@Injectable()
export class KbIndexService implements OnApplicationShutdown {
  private readonly logger = new Logger('KbIndexService');
  private readonly states = new Map<string, KbIndexState>();
  private readonly versionListeners: Array<(kbId: string, version: number) => void> = [];
  private warmed = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly models: ModelsService,
    private readonly repository: KbIndexRepository,
  ) {}

  /** Calls `listener` whenever a KB's index reaches a new version (loaded, rebuilt or changed). */
  onVersion(listener: (kbId: string, version: number) => void): void {
    this.versionListeners.push(listener);
  }

  private announce(kbId: string, version: number): void {
    for (const listener of this.versionListeners) listener(kbId, version);
  }

  /** True once every KB's index has been loaded or rebuilt after start. */
  get ready(): boolean {
    return this.warmed;
  }

  get loadedCount(): number {
    return [...this.states.values()].filter((s) => s.index).length;
  }

  /** Loads every KB's index (at start, so the first question does not pay for it). */
  async warmUp(): Promise<void> {
    await KnowledgeIndex.warmUpAnalyzers();
    for (const kb of await this.repository.kbIds()) {
      try {
        await this.ensure(kb.id, kb.version);
      } catch (err) {
        this.logger.error(`index for KB ${kb.id} failed to load: ${(err as Error).message}`);
      }
    }
    this.warmed = true;
  }

  /** The index at exactly `version` (the version the caller just read from PostgreSQL). */
  async ensure(kbId: string, version: number): Promise<KnowledgeIndex> {
    const state = this.state(kbId);
    for (;;) {
      if (state.index && state.index.version === version) return state.index;
      if (state.index && state.index.version > version) return state.index; // the caller's read is older
      if (state.pendingWrites.size > 0) {
        // A change committed by this process is being applied: wait instead of rebuilding.
        await Promise.allSettled([...state.pendingWrites]);
        continue;
      }
      if (!state.loading) {
        state.loading = this.loadOrBuild(kbId).finally(() => (state.loading = undefined));
      }
      const index = await state.loading;
      if (index.version >= version) return index;
      // Another replica published meanwhile; the next loop iteration rebuilds again.
      if (state.index === index) state.index = undefined;
    }
  }

  /**
   * Runs a writer's transaction, then applies its change to the in-memory index in one
   * synchronous step. If the index is not at the previous version (another writer interleaved,
   * or it was never loaded) it is dropped and rebuilt on the next question.
   */
  async write<T>(kbId: string, transaction: () => Promise<IndexChange<T>>): Promise<T> {
    const state = this.state(kbId);
    let settle!: () => void;
    const pending = new Promise<void>((resolve) => (settle = resolve));
    state.pendingWrites.add(pending);
    try {
      const change = await transaction();
      const index = state.index;
      if (index && index.version === change.version - 1 && change.apply) {
        change.apply(index);
        index.version = change.version;
        this.scheduleSave(kbId);
      } else if (index && index.version !== change.version) {
        state.index = undefined;
      }
      // Announced whether or not an index is in memory: a KB nobody asked yet still gets calibrated.
      this.announce(kbId, change.version);
      return change.result;
    } finally {
      state.pendingWrites.delete(pending);
      settle();
    }
  }

  /** Embeds FAQ phrasings when an encoder is loaded (before the writer's transaction). */
  async embedFaq(
    faq: Omit<IndexedFaq, 'vectors' | 'seq'> & { seq?: number },
  ): Promise<Float32Array[] | undefined> {
    const encoder = this.models.encoder;
    if (!encoder) return undefined;
    return (await encoder.embed(faqPhrasings(faq))).vectors;
  }

  async drop(kbId: string): Promise<void> {
    const state = this.states.get(kbId);
    if (state?.saveTimer) clearTimeout(state.saveTimer);
    this.states.delete(kbId);
    rmSync(this.dir(kbId), { recursive: true, force: true });
  }

  async onApplicationShutdown(): Promise<void> {
    for (const [kbId, state] of this.states) {
      if (!state.saveTimer) continue;
      clearTimeout(state.saveTimer);
      this.save(kbId);
    }
  }

  private state(kbId: string): KbIndexState {
    let state = this.states.get(kbId);
    if (!state) {
      state = { pendingWrites: new Set() };
      this.states.set(kbId, state);
    }
    return state;
  }

  private dir(kbId: string): string {
    return join(this.config.dataDir, 'indexes', kbId);
  }

  private async loadOrBuild(kbId: string): Promise<KnowledgeIndex> {
    const state = this.state(kbId);
    const encoder = this.models.encoder;
    const version = await this.repository.kbVersion(kbId);
    if (version === null) throw new Error(`knowledge base ${kbId} no longer exists`);
    let index: KnowledgeIndex | null = null;
    try {
      const counts = await this.repository.itemCounts(kbId);
      index = KnowledgeIndex.load(this.dir(kbId), { kbId, kbVersion: version, embedder: encoder, counts });
    } catch (err) {
      this.logger.warn(`index for KB ${kbId} on disk is unreadable, rebuilding: ${(err as Error).message}`);
    }
    if (index) {
      this.logger.log(`loaded index for KB ${kbId} at version ${version}`);
    } else {
      index = await this.build(kbId);
      this.logger.log(
        `rebuilt index for KB ${kbId} at version ${index.version} (${index.faqs.size} FAQs, ${index.passages.size} passages)`,
      );
      // Persist at once: the next start then loads instead of rebuilding.
      state.index = index;
      this.save(kbId);
    }
    state.index = index;
    this.announce(kbId, index.version);
    return index;
  }

  private async build(kbId: string): Promise<KnowledgeIndex> {
    const snapshot = await this.repository.snapshot(kbId);
    if (!snapshot) throw new Error(`knowledge base ${kbId} no longer exists`);
    const encoder = this.models.encoder;
    const index = KnowledgeIndex.empty(kbId, snapshot.version, encoder);
    const vectors = new Map<string, Float32Array>();
    if (encoder) {
      const stale = snapshot.passages.filter((p) => !p.embedding || p.embedding_model !== encoder.modelId);
      for (const p of snapshot.passages)
        if (!stale.includes(p)) vectors.set(p.id, fromFloat4Bytes(p.embedding!));
      if (stale.length > 0) {
        this.logger.log(`embedding ${stale.length} passages of KB ${kbId} with ${encoder.modelId}`);
        const { vectors: fresh } = await encoder.embed(stale.map((p) => p.text));
        stale.forEach((p, i) => vectors.set(p.id, fresh[i]));
        await this.repository.storeEmbeddings(
          stale.map((p, i) => ({ id: p.id, embedding: toFloat4Bytes(fresh[i]) })),
          encoder.modelId,
        );
      }
    }
    const faqVectors = encoder
      ? await KnowledgeIndex.embedFaqs(
          encoder,
          snapshot.faqs.map((row) => ({ question: row.question, alternates: row.alternates })),
        )
      : [];
    snapshot.faqs.forEach((row, i) =>
      index.upsertFaq({
        seq: row.seq,
        id: row.id,
        documentId: row.document_id,
        question: row.question,
        alternates: row.alternates,
        answer: row.answer,
        vectors: faqVectors[i],
      }),
    );
    for (const row of snapshot.passages) {
      index.addPassage(
        {
          seq: row.seq,
          id: row.id,
          documentId: row.document_id,
          fileName: row.file_name,
          ordinal: row.ordinal,
          text: row.text,
          start: row.start_offset,
          end: row.end_offset,
        },
        vectors.get(row.id),
      );
    }
    return index;
  }

  private scheduleSave(kbId: string): void {
    const state = this.state(kbId);
    if (state.saveTimer) return;
    state.saveTimer = setTimeout(() => {
      state.saveTimer = undefined;
      this.save(kbId);
    }, SAVE_DELAY_MS);
    state.saveTimer.unref();
  }

  private save(kbId: string): void {
    const index = this.states.get(kbId)?.index;
    if (!index) return;
    try {
      index.save(this.dir(kbId));
    } catch (err) {
      this.logger.warn(`could not save index for KB ${kbId}: ${(err as Error).message}`);
    }
  }
}
