/**
 * Owns every KB's in-memory retrieval index. An index is loaded from <dataDir>/indexes/<kbId>
 * (also when saved at an older KB version, then caught up), otherwise rebuilt from PostgreSQL, the
 * source of truth. Writers change PostgreSQL first, then apply the same change here through
 * `write`, which keeps askers from rebuilding while a just-committed change is being applied. An
 * index behind PostgreSQL (another replica published: KbVersionListener, or a question read a newer
 * version) catches up with the difference from PostgreSQL instead of being rebuilt.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import type { Embedder } from '@wendao/encoder';
import { OutdatedSnapshotError } from '@wendao/retriever';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { KbLanguage } from '../knowledge-bases/knowledge-base.entity';
import { ModelsService } from '../models/models.service';
import { fromFloat4Bytes, toFloat4Bytes } from './embedding-bytes';
import {
  eventLoopSlices,
  KnowledgeIndex,
  type FaqEmbedding,
  type IndexedFaq,
  type IndexedPassage,
} from '@wendao/answer';
import { KbIndexRepository, type FaqRow, type PassageRow } from './kb-index.repository';

interface KbIndexState {
  index?: KnowledgeIndex;
  /** A load/rebuild in progress; askers share it. */
  loading?: Promise<KnowledgeIndex>;
  /** Committed changes not yet applied to `index`. */
  pendingWrites: Set<Promise<unknown>>;
  saveTimer?: NodeJS.Timeout;
  /** The save in progress (saves of a KB run one after another: each replaces the folder). */
  saving?: Promise<void>;
}

/** What a writer hands back after its transaction committed. */
export interface IndexChange<T> {
  /** The KB version the transaction published. */
  version: number;
  /** Applies the change to the index of the previous version; must be synchronous. */
  apply?: (index: KnowledgeIndex) => void;
  /**
   * How many FAQ entries and passages `apply` adds or changes: over MAX_SYNC_CHANGES it is not
   * applied (that long a synchronous step would stall every KB's asks); the index rebuilds in slices.
   */
  items?: number;
  /**
   * The encoder the change's vectors came from (null: none): applied only to an index of that
   * encoder's vectors. Another (the KB's language changed meanwhile) catches up from PostgreSQL.
   */
  encoderId?: string | null;
  result: T;
}

const SAVE_DELAY_MS = 2000;
/** A catch-up touching more items than this share of the index rebuilds it instead. */
const CATCH_UP_MAX_SHARE = 0.5;
/**
 * A catch-up or local write is applied in one synchronous step (askers never see half of it), and an
 * FAQ entry costs ~0.5 ms to index (2-core AMD EPYC, bench/big-kb.bench.ts): more changes than
 * this rebuild the index in slices instead, so no step stalls the other KBs' asks for more than
 * ~0.5 s. A new 84k-entry upload applied in one step stalled every KB of the replica for ~45 s.
 */
export const MAX_SYNC_CHANGES = 1000;

/** How an index reached memory, counted since start (tests, logs). */
export interface KbIndexStats {
  /** Loaded from disk (at the current version, or older and then caught up). */
  loads: number;
  /** Built from a full PostgreSQL snapshot. */
  builds: number;
  /** Brought from an older version to a newer one with the difference from PostgreSQL. */
  catchUps: number;
}

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Each FAQ entry's phrasing and answer vectors (none without an encoder). */
async function faqVectorsOf(encoder: Embedder | undefined, rows: FaqRow[]): Promise<FaqEmbedding[]> {
  if (!encoder) return [];
  return KnowledgeIndex.embedFaqs(
    encoder,
    rows.map((row) => ({ question: row.question, alternates: row.alternates, answer: row.answer })),
  );
}

/** A PostgreSQL FAQ row as the index holds it. */
function indexedFaq(row: FaqRow, embedding: FaqEmbedding | undefined): IndexedFaq {
  const { seq, id, question, alternates, answer } = row;
  return { seq, id, documentId: row.document_id, question, alternates, answer, ...embedding };
}

/** A PostgreSQL passage row as the index holds it. */
function indexedPassage(row: PassageRow): IndexedPassage {
  const { seq, id, ordinal, text } = row;
  return {
    seq,
    id,
    documentId: row.document_id,
    fileName: row.file_name,
    ordinal,
    text,
    start: row.start_offset,
    end: row.end_offset,
  };
}

@Injectable()
export class KbIndexService implements OnModuleDestroy, OnApplicationShutdown {
  private readonly logger = new Logger('KbIndexService');
  private readonly states = new Map<string, KbIndexState>();
  private readonly versionListeners: Array<(kbId: string, version: number) => void> = [];
  private warmed = false;
  /** The app is closing: the warm-up stops, and the database may already be gone under it. */
  private stopping = false;
  private readonly warmedListeners: (() => void)[] = [];
  readonly stats: KbIndexStats = { loads: 0, builds: 0, catchUps: 0 };

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

  /** Calls `listener` once the start-up warm-up has ended (at once if it has). */
  onReady(listener: () => void): void {
    if (this.warmed) listener();
    else this.warmedListeners.push(listener);
  }

  private setWarmed(): void {
    this.warmed = true;
    for (const listener of this.warmedListeners.splice(0)) listener();
  }

  get loadedCount(): number {
    return [...this.states.values()].filter((s) => s.index).length;
  }

  /** Loads every KB's index (at start, so the first question does not pay for it). */
  async warmUp(): Promise<void> {
    // A worker process answers no questions: it keeps no index in memory.
    if (this.config.role === 'worker') {
      this.setWarmed();
      return;
    }
    await KnowledgeIndex.warmUpAnalyzers();
    for (const kb of await this.repository.kbIds(this.config.shardOrganisations)) {
      if (this.stopping) break;
      try {
        await this.ensure(kb.id, kb.version);
      } catch (err) {
        // Stopped during the warm-up (SIGTERM, or a port already taken): the pool closed under the
        // load, which is no broken index; the next start loads it.
        if (this.stopping) break;
        this.logger.error(`index for KB ${kb.id} failed to load: ${(err as Error).message}`);
      }
    }
    this.setWarmed();
  }

  /** The version of the KB's index in memory (undefined when none is loaded). */
  loadedVersion(kbId: string): number | undefined {
    return this.states.get(kbId)?.index?.version;
  }

  /** The KB ids whose index is in memory. */
  loadedKbIds(): string[] {
    return [...this.states.entries()].filter(([, s]) => s.index).map(([kbId]) => kbId);
  }

  /** Forgets a KB's in-memory index (deleted on another replica); its folder goes too. */
  forget(kbId: string): void {
    void this.drop(kbId);
  }

  /** The index at `version` or newer (the version the caller just read from PostgreSQL). */
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
      // Another replica published meanwhile; the next iteration catches up again.
    }
  }

  /**
   * Runs a writer's transaction, then applies its change to the in-memory index in one
   * synchronous step. If the index is not at the previous version (another writer or replica
   * interleaved, or it was never loaded) it is left behind and caught up on the next question or
   * version announcement.
   */
  async write<T>(kbId: string, transaction: () => Promise<IndexChange<T>>): Promise<T> {
    const state = this.state(kbId);
    let settle!: () => void;
    const pending = new Promise<void>((resolve) => (settle = resolve));
    state.pendingWrites.add(pending);
    try {
      const change = await transaction();
      const index = state.index;
      const sameEncoder = change.encoderId === undefined || change.encoderId === index?.modelId;
      const small = (change.items ?? 0) <= MAX_SYNC_CHANGES;
      if (index && index.version === change.version - 1 && change.apply && sameEncoder && small) {
        change.apply(index);
        index.version = change.version;
        this.scheduleSave(kbId);
      }
      // Announced whether or not an index is in memory: a KB nobody asked yet still gets calibrated.
      this.announce(kbId, change.version);
      return change.result;
    } finally {
      state.pendingWrites.delete(pending);
      settle();
    }
  }

  /**
   * Embeds FAQ phrasings with the encoder of a KB in `language`, if it has one (before the writer's
   * transaction); `encoderId` goes into the writer's IndexChange.
   */
  async embedFaq(
    language: KbLanguage,
    faq: Omit<IndexedFaq, 'vectors' | 'answerVector' | 'seq'> & { seq?: number },
  ): Promise<{ embedding?: FaqEmbedding; encoderId: string | null }> {
    const encoder = this.models.encoderFor(language);
    if (!encoder) return { encoderId: null };
    return { embedding: (await KnowledgeIndex.embedFaqs(encoder, [faq]))[0], encoderId: encoder.modelId };
  }

  async drop(kbId: string): Promise<void> {
    const state = this.states.get(kbId);
    if (state?.saveTimer) clearTimeout(state.saveTimer);
    this.states.delete(kbId);
    rmSync(this.dir(kbId), { recursive: true, force: true });
    // A save in progress would put the folder back when it ends.
    if (state?.saving) {
      await state.saving;
      if (!this.states.has(kbId)) rmSync(this.dir(kbId), { recursive: true, force: true });
    }
  }

  /** Nest runs this before any shutdown hook, so before the database pool closes. */
  onModuleDestroy(): void {
    this.stopping = true;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const [kbId, state] of this.states) {
      await state.saving;
      if (!state.saveTimer) continue;
      clearTimeout(state.saveTimer);
      await this.save(kbId);
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

  /**
   * The KB's index at PostgreSQL's version: the one in memory caught up, else the saved one (even
   * when older) caught up, else a full build.
   */
  private async loadOrBuild(kbId: string): Promise<KnowledgeIndex> {
    const state = this.state(kbId);
    const head = await this.repository.kbHead(kbId);
    if (!head) throw new Error(`knowledge base ${kbId} no longer exists`);
    const { version } = head;
    const encoder = this.models.encoderFor(head.language);
    let index: KnowledgeIndex | null = state.index ?? null;
    // The KB's language changed to one another encoder serves: its vectors are of no use.
    if (index && index.modelId !== (encoder?.modelId ?? null)) index = null;
    if (!index) {
      try {
        const counts = await this.repository.itemCounts(kbId);
        index = await KnowledgeIndex.load(this.dir(kbId), {
          kbId,
          kbVersion: version,
          embedder: encoder,
          counts,
          allowOlder: true,
        });
        if (index) {
          this.stats.loads++;
          this.logger.log(`loaded index for KB ${kbId} at version ${index.version}`);
        }
      } catch (err) {
        // After an upgrade every KB's saved index may be of an older format: expected, not a fault
        // (a WARN per KB paged operators who alert on warnings).
        if (err instanceof OutdatedSnapshotError)
          this.logger.log(`index for KB ${kbId} was saved by an older Wendao, rebuilding: ${err.message}`);
        else
          this.logger.warn(
            `index for KB ${kbId} on disk is unreadable, rebuilding: ${(err as Error).message}`,
          );
      }
    }
    if (index && index.version < version) {
      const from = index.version;
      const outcome = await this.catchUp(kbId, index);
      // 'raced': a local write moved the index meanwhile; ensure() asks again.
      if (outcome === 'raced') return index;
      if (outcome === 'too-large') index = null;
      else {
        this.logger.log(`caught up index for KB ${kbId} from version ${from} to ${index.version}`);
        if (state.index === index) this.scheduleSave(kbId);
        else void this.save(kbId, index);
      }
    }
    if (!index) {
      index = await this.build(kbId);
      this.stats.builds++;
      this.logger.log(
        `rebuilt index for KB ${kbId} at version ${index.version} (${index.faqs.size} FAQs, ${index.passages.size} passages)`,
      );
      // Persist at once: the next start then loads instead of rebuilding.
      void this.save(kbId, index);
    }
    // A local write moved the index in memory past this one while it was being built: keep that one.
    if (state.index && state.index !== index && state.index.version > index.version) return state.index;
    state.index = index;
    this.announce(kbId, index.version);
    return index;
  }

  /**
   * Brings `index` to the KB's current version with the difference from PostgreSQL: FAQ entries
   * added, changed or gone (compared field by field), passages added or gone (by seq). Every await
   * (the snapshot, embeddings) happens first; the change itself is one synchronous step, applied
   * only if nobody moved the index meanwhile. A difference over CATCH_UP_MAX_SHARE of the index
   * is left to a full rebuild.
   */
  private async catchUp(kbId: string, index: KnowledgeIndex): Promise<'caught-up' | 'too-large' | 'raced'> {
    const from = index.version;
    const delta = await this.repository.delta(kbId, new Set(index.passages.keys()));
    if (!delta) throw new Error(`knowledge base ${kbId} no longer exists`);
    if (delta.version <= from) return 'caught-up';
    const inPg = new Map(delta.faqs.map((row) => [row.seq, row]));
    const goneFaqs = [...index.faqs.keys()].filter((seq) => !inPg.has(seq));
    const changedFaqs = delta.faqs.filter((row) => {
      const faq = index.faqs.get(row.seq);
      return (
        !faq ||
        faq.question !== row.question ||
        faq.answer !== row.answer ||
        faq.documentId !== row.document_id ||
        !sameList(faq.alternates, row.alternates)
      );
    });
    const passagesInPg = new Set(delta.passageSeqs);
    const gonePassages = [...index.passages.keys()].filter((seq) => !passagesInPg.has(seq));
    const changes = goneFaqs.length + changedFaqs.length + gonePassages.length + delta.newPassages.length;
    if (
      changes > MAX_SYNC_CHANGES ||
      changes > Math.max(50, (index.faqs.size + index.passages.size) * CATCH_UP_MAX_SHARE)
    )
      return 'too-large';
    const encoder = this.models.encoderFor(delta.language);
    // The KB's language changed to one another encoder serves: every vector must be made again.
    if (index.modelId !== (encoder?.modelId ?? null)) return 'too-large';
    const faqVectors = await faqVectorsOf(encoder, changedFaqs);
    const passageVectors = await this.passageVectors(kbId, encoder, delta.newPassages, { store: false });
    if (index.version !== from) return 'raced';
    for (const seq of goneFaqs) index.removeFaq(seq);
    for (const seq of gonePassages) index.removePassage(seq);
    changedFaqs.forEach((row, i) => index.upsertFaq(indexedFaq(row, faqVectors[i])));
    for (const row of delta.newPassages) index.addPassage(indexedPassage(row), passageVectors.get(row.id));
    index.version = delta.version;
    this.stats.catchUps++;
    if (index.faqs.size !== delta.faqs.length || index.passages.size !== delta.passageSeqs.length) {
      this.logger.warn(`index for KB ${kbId} disagrees with PostgreSQL after catching up; rebuilding`);
      return 'too-large';
    }
    return 'caught-up';
  }

  private async build(kbId: string): Promise<KnowledgeIndex> {
    const snapshot = await this.repository.snapshot(kbId);
    if (!snapshot) throw new Error(`knowledge base ${kbId} no longer exists`);
    const encoder = this.models.encoderFor(snapshot.language);
    const index = KnowledgeIndex.empty(kbId, snapshot.version, encoder);
    const passageVectors = await this.passageVectors(kbId, encoder, snapshot.passages, { store: true });
    const faqVectors = await faqVectorsOf(encoder, snapshot.faqs);
    // In slices: the index is nobody's until it is returned, and the other KBs' asks go on meanwhile.
    const pause = eventLoopSlices();
    for (const [i, row] of snapshot.faqs.entries()) {
      index.upsertFaq(indexedFaq(row, faqVectors[i]));
      await pause();
    }
    for (const row of snapshot.passages) {
      index.addPassage(indexedPassage(row), passageVectors.get(row.id));
      await pause();
    }
    return index;
  }

  /**
   * Each passage's vector for the encoder (none without one): the stored embedding when that
   * encoder made it, else computed now. A rebuild `store`s what it computed, so the next one reads it.
   */
  private async passageVectors(
    kbId: string,
    encoder: Embedder | undefined,
    rows: PassageRow[],
    { store }: { store: boolean },
  ): Promise<Map<string, Float32Array>> {
    const vectors = new Map<string, Float32Array>();
    if (!encoder) return vectors;
    const stale: PassageRow[] = [];
    for (const p of rows)
      if (p.embedding && p.embedding_model === encoder.modelId)
        vectors.set(p.id, fromFloat4Bytes(p.embedding));
      else stale.push(p);
    if (stale.length === 0) return vectors;
    if (store) this.logger.log(`embedding ${stale.length} passages of KB ${kbId} with ${encoder.modelId}`);
    const { vectors: fresh } = await encoder.embed(stale.map((p) => p.text));
    stale.forEach((p, i) => vectors.set(p.id, fresh[i]));
    if (store)
      await this.repository.storeEmbeddings(
        stale.map((p, i) => ({ id: p.id, embedding: toFloat4Bytes(fresh[i]) })),
        encoder.modelId,
      );
    return vectors;
  }

  private scheduleSave(kbId: string): void {
    const state = this.state(kbId);
    if (state.saveTimer) return;
    state.saveTimer = setTimeout(() => {
      state.saveTimer = undefined;
      void this.save(kbId);
    }, SAVE_DELAY_MS);
    state.saveTimer.unref();
  }

  /**
   * Saves the index in slices (saving an 84k-entry KB in one step stalled every ask for ~3 s), after
   * any save of the KB still in progress; never rejects.
   */
  private save(kbId: string, index = this.states.get(kbId)?.index): Promise<void> {
    const state = this.states.get(kbId);
    if (!state || !index) return state?.saving ?? Promise.resolve();
    const saving = (state.saving ?? Promise.resolve())
      .then(() => index.saveInSlices(this.dir(kbId)))
      .then(
        () => undefined,
        (err: unknown) => this.logger.warn(`could not save index for KB ${kbId}: ${(err as Error).message}`),
      )
      .finally(() => {
        if (state.saving === saving) state.saving = undefined;
      });
    state.saving = saving;
    return saving;
  }
}
