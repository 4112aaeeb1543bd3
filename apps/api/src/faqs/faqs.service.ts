/**
 * FAQ entry CRUD. Every change is one transaction that also publishes a new KB version, then is
 * applied to the KB's in-memory index in the same step, so it is answerable immediately.
 */
import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { KbIndexService } from '../indexes/kb-index.service';
import type { FaqEmbedding, IndexedFaq } from '@wendao/answer';
import { normalizeQuestion } from '@wendao/text';
import type { EntityManager } from 'typeorm';
import { KnowledgeBasesService } from '../knowledge-bases/knowledge-bases.service';
import type { ListPage } from '../common/list-query.dto';
import { CreateFaqEntryDto, FaqListQueryDto, UpdateFaqEntryDto } from './faq-entry.dto';
import { FaqEntry } from './faq-entry.entity';
import { FaqEntryRepository } from './faq-entry.repository';

export interface FaqEntryView {
  id: string;
  kbId: string;
  documentId: string | null;
  question: string;
  alternates: string[];
  answer: string;
  tags: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

function clean(list: string[] | undefined): string[] {
  return [...new Set((list ?? []).map((s) => s.trim()).filter(Boolean))];
}

/**
 * Drops an alternate that asks the entry's own question (in any case, with or without its question
 * mark, as matching compares them), as repeats are dropped: it adds nothing to match on, and a
 * question promoted from the alternates would otherwise stay listed twice.
 */
function withoutOwnQuestion<T extends { question: string; alternates: string[] }>(faq: T): T {
  const own = normalizeQuestion(faq.question);
  return { ...faq, alternates: faq.alternates.filter((a) => normalizeQuestion(a) !== own) };
}

@Injectable()
export class FaqsService {
  constructor(
    private readonly entries: FaqEntryRepository,
    private readonly kbs: KnowledgeBasesService,
    private readonly indexes: KbIndexService,
  ) {}

  static view(faq: FaqEntry): FaqEntryView {
    return {
      id: faq.id,
      kbId: faq.kbId,
      documentId: faq.documentId,
      question: faq.question,
      alternates: faq.alternates,
      answer: faq.answer,
      tags: faq.tags,
      enabled: faq.enabled,
      createdAt: faq.createdAt,
      updatedAt: faq.updatedAt,
    };
  }

  static indexed(faq: FaqEntry, embedding?: FaqEmbedding): IndexedFaq {
    return {
      seq: faq.seq,
      id: faq.id,
      documentId: faq.documentId,
      question: faq.question,
      alternates: faq.alternates,
      answer: faq.answer,
      ...embedding,
    };
  }

  /** Entries in KB order; `q` matches question, alternates or answer; `enabled` filters on the switch. */
  async list(kbId: string, query: FaqListQueryDto = {}): Promise<ListPage<FaqEntryView>> {
    await this.kbs.require(kbId);
    const [rows, total] = await this.entries.page(kbId, {
      q: query.q?.trim() || undefined,
      enabled: query.enabled,
      limit: query.limit,
      offset: query.offset,
    });
    return { items: rows.map(FaqsService.view), total };
  }

  async get(kbId: string, faqId: string): Promise<FaqEntryView> {
    await this.kbs.require(kbId);
    return FaqsService.view(await this.require(kbId, faqId));
  }

  async create(kbId: string, dto: CreateFaqEntryDto): Promise<FaqEntryView> {
    const kb = await this.kbs.require(kbId);
    const draft = withoutOwnQuestion({
      question: dto.question.trim(),
      alternates: clean(dto.alternates),
      answer: dto.answer.trim(),
    });
    const enabled = dto.enabled ?? true;
    const vectors = enabled
      ? await this.indexes.embedFaq(kb.language, { id: '', documentId: null, ...draft })
      : undefined;
    return this.indexes.write(kbId, async () =>
      this.entries.transaction(async (m) => {
        if (enabled) await this.refuseTakenQuestion(m, kbId, draft.question);
        const saved = await this.entries.insert(m, kbId, { ...draft, tags: clean(dto.tags), enabled });
        const version = await this.kbs.bumpVersion(m, kbId);
        return {
          version,
          apply: (index) => {
            if (saved.enabled) index.upsertFaq(FaqsService.indexed(saved, vectors?.embedding));
          },
          encoderId: vectors?.encoderId,
          result: FaqsService.view(saved),
        };
      }),
    );
  }

  /**
   * Changes only the fields sent. They are merged onto the row as it is inside the transaction,
   * under a row lock, so two concurrent PATCHes of different fields both land (issue 16).
   */
  async update(kbId: string, faqId: string, dto: UpdateFaqEntryDto): Promise<FaqEntryView> {
    const kb = await this.kbs.require(kbId);
    const current = await this.require(kbId, faqId);
    const sent = {
      ...(dto.question !== undefined ? { question: dto.question.trim() } : {}),
      ...(dto.alternates !== undefined ? { alternates: clean(dto.alternates) } : {}),
      ...(dto.answer !== undefined ? { answer: dto.answer.trim() } : {}),
      ...(dto.tags !== undefined ? { tags: clean(dto.tags) } : {}),
      ...(dto.enabled !== undefined ? { enabled: dto.enabled } : {}),
    };
    // Embedded outside the transaction from the row as read now; redone under the lock only if a
    // concurrent change altered the phrasings meanwhile.
    const embed = (faq: Pick<FaqEntry, 'question' | 'alternates' | 'answer' | 'enabled'>) =>
      faq.enabled
        ? this.indexes.embedFaq(kb.language, { id: faqId, documentId: null, ...faq })
        : Promise.resolve(undefined);
    const guess = withoutOwnQuestion({ ...current, ...sent });
    let vectors = await embed(guess);
    return this.indexes.write(kbId, async () =>
      this.entries.transaction(async (m) => {
        const locked = await this.entries.lockForUpdate(m, kbId, faqId);
        if (!locked) throw new NotFoundException(`FAQ entry ${faqId} not found`);
        const merged = withoutOwnQuestion({ ...locked, ...sent });
        // A new question may be one of the alternates (promoted): then that alternate goes.
        const fields =
          merged.alternates.length === (sent.alternates ?? locked.alternates).length
            ? sent
            : { ...sent, alternates: merged.alternates };
        // Checked when the question changes or the entry is switched on: an answer edited on an
        // entry that already shares its question (stored before this check) is still saved.
        if (merged.enabled && (merged.question !== locked.question || !locked.enabled))
          await this.refuseTakenQuestion(m, kbId, merged.question, faqId);
        if (
          merged.enabled !== guess.enabled ||
          merged.question !== guess.question ||
          merged.answer !== guess.answer ||
          merged.alternates.join('\u0000') !== guess.alternates.join('\u0000')
        )
          vectors = await embed(merged);
        if (Object.keys(fields).length) await this.entries.update(m, kbId, faqId, fields);
        const saved = await this.entries.byId(kbId, faqId, m);
        if (!saved) throw new NotFoundException(`FAQ entry ${faqId} not found`);
        const version = await this.kbs.bumpVersion(m, kbId);
        return {
          version,
          apply: (index) => {
            index.removeFaq(saved.seq);
            if (saved.enabled) index.upsertFaq(FaqsService.indexed(saved, vectors?.embedding));
          },
          encoderId: vectors?.encoderId,
          result: FaqsService.view(saved),
        };
      }),
    );
  }

  async delete(kbId: string, faqId: string): Promise<void> {
    await this.kbs.require(kbId);
    const current = await this.require(kbId, faqId);
    await this.indexes.write(kbId, async () =>
      this.entries.transaction(async (m) => {
        if (!(await this.entries.delete(m, kbId, faqId)))
          throw new NotFoundException(`FAQ entry ${faqId} not found`);
        const version = await this.kbs.bumpVersion(m, kbId);
        return { version, apply: (index) => void index.removeFaq(current.seq), result: undefined };
      }),
    );
  }

  /**
   * An enabled entry may not ask the question another enabled entry asks (in any case, with or
   * without its question mark): matching keeps one candidate per question, the older entry, so the
   * newer would be saved and never answer (an upload skips such a row with `duplicate_question`).
   * A 409 `faq_question_taken` names the entry that has it, for the console to point to.
   */
  private async refuseTakenQuestion(
    m: EntityManager,
    kbId: string,
    question: string,
    exceptId?: string,
  ): Promise<void> {
    const normalized = normalizeQuestion(question);
    const taken = (await this.entries.enabledWithQuestion(m, kbId, normalized, exceptId)).find(
      (other) => normalizeQuestion(other.question) === normalized,
    );
    if (taken)
      throw new ConflictException({
        message: `the entry "${taken.question}" (${taken.id}) already asks this question: edit that entry, or disable it first`,
        code: 'faq_question_taken',
        values: { question: taken.question, faqId: taken.id },
      });
  }

  private async require(kbId: string, faqId: string): Promise<FaqEntry> {
    const faq = await this.entries.byId(kbId, faqId);
    if (!faq) throw new NotFoundException(`FAQ entry ${faqId} not found in knowledge base ${kbId}`);
    return faq;
  }
}
