/**
 * Knowledge-base lifecycle: create, read, change thresholds/settings, delete (queries in
 * KnowledgeBaseRepository). Content changes elsewhere publish a new version through `bumpVersion`,
 * always inside the writer's transaction.
 */
import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ListPage, ListQueryDto } from '../common/list-query.dto';
import { fallbackMessage, thresholdsFor, type AnswerMode, type ThresholdsInForce } from '@wendao/answer';
import { dominantLanguage } from '@wendao/text';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ModelsService } from '../models/models.service';
import {
  CreateKnowledgeBaseDto,
  KnowledgeBaseSettingsDto,
  UpdateKnowledgeBaseDto,
} from './knowledge-base.dto';
import {
  KnowledgeBase,
  type KbCalibration,
  type KbLanguage,
  type KnowledgeBaseSettings,
} from './knowledge-base.entity';
import { isKbNameTaken, KnowledgeBaseRepository } from './knowledge-base.repository';
import { DEFAULT_TARGET_PRECISION, KbCalibrationService } from '../indexes/kb-calibration.service';
import { KbIndexService } from '../indexes/kb-index.service';
import { AuthRepository } from '../auth/auth.repository';

export interface KnowledgeBaseView {
  id: string;
  organisationId: string;
  name: string;
  language: string;
  faqThreshold: number | null;
  answerThreshold: number | null;
  /** Thresholds in force for the current answer mode: the admin's, else calibrated, else defaults. */
  effectiveThresholds: ThresholdsInForce['thresholds'];
  /** Where each value in force comes from ('admin', 'calibrated' or 'default'). */
  thresholdSources: ThresholdsInForce['explained'];
  /** The last calibration on this KB's content (null before the first). */
  calibration: KbCalibration | null;
  /** The reader's mode (kept for older clients; `modes` says what matches FAQs too). */
  mode: AnswerMode;
  /**
   * What answers this KB's questions: FAQ matching by embedding cosine ('neural', an encoder serves
   * the KB's language) or lexically, and a neural or the lexical reader for the documents.
   */
  modes: { faq: AnswerMode; answer: AnswerMode };
  /**
   * The language the KB's FAQ questions and passages are written in (null: too little content to
   * tell); the admin console warns when it is not `language`, which picks the KB's models.
   */
  contentLanguage: KbLanguage | null;
  settings: KnowledgeBase['settings'];
  /** What each setting the KB leaves unset falls back to. */
  settingDefaults: SettingDefaults;
  version: number;
  counts: { faqs: number; documents: number; passages: number };
  createdAt: Date;
  updatedAt: Date;
}

export interface SettingDefaults {
  chunkTargetLength: number;
  chunkMaxLength: number;
  chunkOverlap: number;
  targetPrecision: number;
  /**
   * The fallback reply in each language the KB answers in (a mixed KB replies in the question's) when
   * it has questions to suggest; `fallbackMessagesWithoutSuggestions` the one it gives when it has none.
   */
  fallbackMessages: string[];
  fallbackMessagesWithoutSuggestions: string[];
}

@Injectable()
export class KnowledgeBasesService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly repository: KnowledgeBaseRepository,
    private readonly models: ModelsService,
    private readonly indexes: KbIndexService,
    private readonly calibrations: KbCalibrationService,
    private readonly access: AuthRepository,
  ) {}

  async create(dto: CreateKnowledgeBaseDto, organisationId: string): Promise<KnowledgeBaseView> {
    const name = dto.name.trim();
    await this.refuseTakenName(organisationId, name);
    const kb = await this.nameRefusedAsTaken(name, () =>
      this.repository.create({
        organisationId,
        name,
        language: dto.language,
        settings: {},
      }),
    );
    return this.view(kb);
  }

  /** The KBs of these organisations (the caller's), oldest first; `q` matches the name. */
  async list(organisationIds: string[], query: ListQueryDto = {}): Promise<ListPage<KnowledgeBaseView>> {
    const [page, total] = await this.repository.inOrganisations(organisationIds, {
      q: query.q?.trim() || undefined,
      limit: query.limit,
      offset: query.offset,
    });
    return { items: await Promise.all(page.map((kb) => this.view(kb))), total };
  }

  /** The KB or a 404: every KB-scoped route starts here, every question too. */
  async require(id: string): Promise<KnowledgeBase> {
    const kb = await this.repository.byId(id);
    if (!kb) throw new NotFoundException(`knowledge base ${id} not found`);
    return kb;
  }

  async get(id: string): Promise<KnowledgeBaseView> {
    return this.view(await this.require(id));
  }

  async update(id: string, dto: UpdateKnowledgeBaseDto): Promise<KnowledgeBaseView> {
    const kb = await this.require(id);
    if (dto.name !== undefined) {
      const name = dto.name.trim();
      if (name.toLowerCase() !== kb.name.toLowerCase())
        await this.refuseTakenName(kb.organisationId, name, id);
      kb.name = name;
    }
    if (dto.faqThreshold !== undefined) kb.faqThreshold = dto.faqThreshold;
    if (dto.answerThreshold !== undefined) kb.answerThreshold = dto.answerThreshold;
    const target = kb.settings.targetPrecision;
    if (dto.settings !== undefined) kb.settings = this.changedSettings(kb.settings, dto.settings);
    // Thresholds are part of the answer-cache key, so no version bump (and no index rebuild) is needed.
    let saved = await this.nameRefusedAsTaken(kb.name, () => this.repository.save(kb));
    if (kb.settings.targetPrecision !== target) this.calibrations.schedule(kb.id);
    if (dto.language !== undefined && dto.language !== kb.language) {
      // The language picks the KB's encoder and reader: a new version, whose index is built again with
      // that encoder's vectors (the catch-up sees the other encoder) and whose thresholds are calibrated again.
      const language = dto.language;
      await this.indexes.write(id, async () => {
        const version = await this.repository.changeLanguage(id, language);
        if (version === undefined) throw new NotFoundException(`knowledge base ${id} not found`);
        return { version, result: undefined };
      });
      saved = await this.require(id);
    }
    return this.view(saved);
  }

  /**
   * A 409 (code `kb_name_taken`, docs/api.md) when another KB of the organisation has this name in
   * any case: two KBs called alike could not be told apart in the console's list and pickers.
   */
  private async refuseTakenName(organisationId: string, name: string, exceptId?: string): Promise<void> {
    if (await this.repository.nameTaken(organisationId, name, exceptId)) throw kbNameTaken(name);
  }

  /**
   * `write`, with the unique index's refusal of the name (another create or rename of it committed
   * between refuseTakenName's read and this write) answered as the same 409.
   */
  private async nameRefusedAsTaken<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (isKbNameTaken(err)) throw kbNameTaken(name);
      throw err;
    }
  }

  /**
   * The KB's settings with `changes` applied (null: back to the default, so the key goes), refused
   * when the passage target length in force would exceed the max length in force.
   */
  private changedSettings(
    settings: KnowledgeBaseSettings,
    changes: KnowledgeBaseSettingsDto,
  ): KnowledgeBaseSettings {
    const changed: Record<string, unknown> = { ...settings, ...changes };
    for (const [key, value] of Object.entries(changed)) if (value === null) delete changed[key];
    const next = changed as KnowledgeBaseSettings;
    const { chunking } = this.config;
    const target = next.chunkTargetLength ?? chunking.targetLength;
    const max = next.chunkMaxLength ?? chunking.maxLength;
    const said = (value: number, set?: number) => (set === undefined ? `${value}, the default` : `${value}`);
    if (target > max)
      throw new BadRequestException(
        `settings.chunkTargetLength (${said(target, next.chunkTargetLength)}) must not be greater than ` +
          `settings.chunkMaxLength (${said(max, next.chunkMaxLength)})`,
      );
    return next;
  }

  async delete(id: string): Promise<void> {
    await this.require(id);
    await this.repository.delete(id);
    this.access.forgetKb(id);
    this.calibrations.forget(id);
    await this.indexes.drop(id);
  }

  /** Publishes a new KB version inside the writer's transaction (FAQ, document and ingestion writes); returns it. */
  async bumpVersion(manager: EntityManager, kbId: string): Promise<number> {
    const version = await this.repository.bumpVersion(manager, kbId);
    if (version === undefined) throw new NotFoundException(`knowledge base ${kbId} not found`);
    return version;
  }

  async view(kb: KnowledgeBase): Promise<KnowledgeBaseView> {
    const row = await this.repository.snapshot(kb.id);
    if (!row) throw new NotFoundException(`knowledge base ${kb.id} not found`);
    const counts = { faqs: row.faqs, documents: row.documents, passages: row.passages };
    const modes = this.models.scoreModes(kb.language);
    const calibration = await this.calibrations.current(kb.id);
    const inForce = thresholdsFor(modes, kb, calibration);
    // Whether each language the KB answers in is English (a mixed KB: Chinese, then English).
    const english = { zh: [false], en: [true], mixed: [false, true] }[kb.language];
    return {
      id: kb.id,
      organisationId: kb.organisationId,
      name: kb.name,
      language: kb.language,
      faqThreshold: kb.faqThreshold,
      answerThreshold: kb.answerThreshold,
      effectiveThresholds: inForce.thresholds,
      thresholdSources: inForce.explained,
      calibration,
      mode: modes.answer,
      modes,
      contentLanguage: dominantLanguage(await this.repository.contentSample(kb.id)),
      settings: kb.settings,
      settingDefaults: {
        chunkTargetLength: this.config.chunking.targetLength,
        chunkMaxLength: this.config.chunking.maxLength,
        chunkOverlap: this.config.chunking.overlap,
        targetPrecision: DEFAULT_TARGET_PRECISION,
        fallbackMessages: english.map((en) => fallbackMessage(en, true)),
        fallbackMessagesWithoutSuggestions: english.map((en) => fallbackMessage(en, false)),
      },
      version: row.version,
      counts,
      createdAt: kb.createdAt,
      updatedAt: kb.updatedAt,
    };
  }
}

function kbNameTaken(name: string): ConflictException {
  return new ConflictException({
    message: `the organisation already has a knowledge base named "${name}"`,
    code: 'kb_name_taken',
    values: { name },
  });
}
