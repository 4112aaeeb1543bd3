/**
 * Knowledge-base lifecycle: create, read, change thresholds/settings, delete. Content changes
 * elsewhere publish a new version through `bumpVersion`, always inside the writer's transaction.
 */
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, ILike, In, Repository } from 'typeorm';
import { containsPattern, type ListPage, type ListQueryDto } from '../common/list-query.dto';
import { returningRows } from '../database/returning-rows';
import { thresholdsFor, type AnswerMode, type ThresholdsInForce } from '@wendao/answer';
import { ModelsService } from '../models/models.service';
import { CreateKnowledgeBaseDto, UpdateKnowledgeBaseDto } from './knowledge-base.dto';
import { KnowledgeBase, type KbCalibration } from './knowledge-base.entity';
import { KbCalibrationService } from '../indexes/kb-calibration.service';
import { KbIndexService } from '../indexes/kb-index.service';

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
  settings: KnowledgeBase['settings'];
  version: number;
  counts: { faqs: number; documents: number; passages: number };
  createdAt: Date;
  updatedAt: Date;
}

interface KnowledgeBaseRow {
  id: string;
  organisation_id: string;
  name: string;
  language: KnowledgeBase['language'];
  faq_threshold: number | null;
  answer_threshold: number | null;
  settings: KnowledgeBase['settings'];
  version: number;
  created_at: Date;
  updated_at: Date;
}

@Injectable()
export class KnowledgeBasesService {
  constructor(
    @InjectRepository(KnowledgeBase) private readonly kbs: Repository<KnowledgeBase>,
    private readonly models: ModelsService,
    private readonly indexes: KbIndexService,
    private readonly calibrations: KbCalibrationService,
  ) {}

  async create(dto: CreateKnowledgeBaseDto, organisationId: string): Promise<KnowledgeBaseView> {
    const kb = await this.kbs.save(
      this.kbs.create({ organisationId, name: dto.name.trim(), language: dto.language, settings: {} }),
    );
    return this.view(kb);
  }

  /** The KBs of these organisations (the caller's), oldest first; `q` matches the name. */
  async list(organisationIds: string[], query: ListQueryDto = {}): Promise<ListPage<KnowledgeBaseView>> {
    if (organisationIds.length === 0) return { items: [], total: 0 };
    const q = query.q?.trim();
    const [page, total] = await this.kbs.findAndCount({
      where: { organisationId: In(organisationIds), ...(q ? { name: ILike(containsPattern(q)) } : {}) },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: query.limit,
      skip: query.offset,
    });
    return { items: await Promise.all(page.map((kb) => this.view(kb))), total };
  }

  /**
   * The KB or a 404: every KB-scoped route starts here, every question too, so it is one plain
   * primary-key query rather than a trip through the entity manager.
   */
  async require(id: string): Promise<KnowledgeBase> {
    const rows: KnowledgeBaseRow[] = /^[0-9a-f-]{36}$/i.test(id)
      ? await this.kbs.query(
          `SELECT id, organisation_id, name, language, faq_threshold, answer_threshold, settings, version, created_at, updated_at
           FROM knowledge_base WHERE id = $1`,
          [id],
        )
      : [];
    if (rows.length === 0) throw new NotFoundException(`knowledge base ${id} not found`);
    const row = rows[0];
    return Object.assign(new KnowledgeBase(), {
      id: row.id,
      organisationId: row.organisation_id,
      name: row.name,
      language: row.language,
      faqThreshold: row.faq_threshold,
      answerThreshold: row.answer_threshold,
      settings: row.settings,
      version: row.version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  }

  async get(id: string): Promise<KnowledgeBaseView> {
    return this.view(await this.require(id));
  }

  async update(id: string, dto: UpdateKnowledgeBaseDto): Promise<KnowledgeBaseView> {
    const kb = await this.require(id);
    if (dto.name !== undefined) kb.name = dto.name.trim();
    if (dto.language !== undefined) kb.language = dto.language;
    if (dto.faqThreshold !== undefined) kb.faqThreshold = dto.faqThreshold;
    if (dto.answerThreshold !== undefined) kb.answerThreshold = dto.answerThreshold;
    const target = kb.settings.targetPrecision;
    if (dto.settings !== undefined) kb.settings = { ...kb.settings, ...dto.settings };
    // Thresholds are part of the answer-cache key, so no version bump (and no index rebuild) is needed.
    const saved = await this.kbs.save(kb);
    if (kb.settings.targetPrecision !== target) this.calibrations.schedule(kb.id);
    return this.view(saved);
  }

  async delete(id: string): Promise<void> {
    await this.require(id);
    await this.kbs.delete({ id });
    this.calibrations.forget(id);
    await this.indexes.drop(id);
  }

  /** Publishes a new KB version inside the caller's transaction; returns it. */
  static async bumpVersion(manager: EntityManager, kbId: string): Promise<number> {
    const rows = returningRows<{ version: number }>(
      await manager.query(
        'UPDATE knowledge_base SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING version',
        [kbId],
      ),
    );
    if (rows.length === 0) throw new NotFoundException(`knowledge base ${kbId} not found`);
    return rows[0].version;
  }

  async view(kb: KnowledgeBase): Promise<KnowledgeBaseView> {
    // One statement, one snapshot: the version and the counts always describe the same content.
    const [row]: { version: number; faqs: number; documents: number; passages: number }[] =
      await this.kbs.query(
        `SELECT version,
              (SELECT count(*) FROM faq_entry WHERE kb_id = $1)::int AS faqs,
              (SELECT count(*) FROM document WHERE kb_id = $1)::int AS documents,
              (SELECT count(*) FROM passage WHERE kb_id = $1)::int AS passages
       FROM knowledge_base WHERE id = $1`,
        [kb.id],
      );
    if (!row) throw new NotFoundException(`knowledge base ${kb.id} not found`);
    const counts = { faqs: row.faqs, documents: row.documents, passages: row.passages };
    const mode = this.models.mode;
    const calibration = await this.calibrations.current(kb.id);
    const inForce = thresholdsFor(this.models.scoreModes, kb, calibration);
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
      mode,
      settings: kb.settings,
      version: row.version,
      counts,
      createdAt: kb.createdAt,
      updatedAt: kb.updatedAt,
    };
  }
}
