/**
 * Knowledge-base lifecycle: create, read, change thresholds/settings, delete (queries in
 * KnowledgeBaseRepository). Content changes elsewhere publish a new version through `bumpVersion`,
 * always inside the writer's transaction.
 */
import { Injectable, NotFoundException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ListPage, ListQueryDto } from '../common/list-query.dto';
import { thresholdsFor, type AnswerMode, type ThresholdsInForce } from '@wendao/answer';
import { dominantLanguage } from '@wendao/text';
import { ModelsService } from '../models/models.service';
import { CreateKnowledgeBaseDto, UpdateKnowledgeBaseDto } from './knowledge-base.dto';
import { KnowledgeBase, type KbCalibration, type KbLanguage } from './knowledge-base.entity';
import { KnowledgeBaseRepository } from './knowledge-base.repository';
import { KbCalibrationService } from '../indexes/kb-calibration.service';
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
  mode: AnswerMode;
  /**
   * The language the KB's FAQ questions and passages are written in (null: too little content to
   * tell); the admin console warns when it is not `language`, which picks the KB's models.
   */
  contentLanguage: KbLanguage | null;
  settings: KnowledgeBase['settings'];
  version: number;
  counts: { faqs: number; documents: number; passages: number };
  createdAt: Date;
  updatedAt: Date;
}

@Injectable()
export class KnowledgeBasesService {
  constructor(
    private readonly repository: KnowledgeBaseRepository,
    private readonly models: ModelsService,
    private readonly indexes: KbIndexService,
    private readonly calibrations: KbCalibrationService,
    private readonly access: AuthRepository,
  ) {}

  async create(dto: CreateKnowledgeBaseDto, organisationId: string): Promise<KnowledgeBaseView> {
    const kb = await this.repository.create({
      organisationId,
      name: dto.name.trim(),
      language: dto.language,
      settings: {},
    });
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
    if (dto.name !== undefined) kb.name = dto.name.trim();
    if (dto.faqThreshold !== undefined) kb.faqThreshold = dto.faqThreshold;
    if (dto.answerThreshold !== undefined) kb.answerThreshold = dto.answerThreshold;
    const target = kb.settings.targetPrecision;
    if (dto.settings !== undefined) kb.settings = { ...kb.settings, ...dto.settings };
    // Thresholds are part of the answer-cache key, so no version bump (and no index rebuild) is needed.
    let saved = await this.repository.save(kb);
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
      contentLanguage: dominantLanguage(await this.repository.contentSample(kb.id)),
      settings: kb.settings,
      version: row.version,
      counts,
      createdAt: kb.createdAt,
      updatedAt: kb.updatedAt,
    };
  }
}
