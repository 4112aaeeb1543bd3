/**
 * The faq_entry table's queries. Every one takes the KB id and filters on it, so an entry id from
 * another knowledge base finds nothing; writes take the caller's transaction (the one that also
 * publishes the KB version), and `lockForUpdate` is the row lock concurrent PATCHes queue on.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { normalizeQuestion } from '@wendao/text';
import { DataSource, type EntityManager } from 'typeorm';
import { containsPattern } from '../common/list-query.dto';
import { FaqEntry } from './faq-entry.entity';

/**
 * A question column normalised in SQL as `normalizeQuestion` (@wendao/text) normalises it: NFKC,
 * spaces collapsed and trimmed, trailing punctuation cut, lower case. Callers compare again with
 * `normalizeQuestion` itself, so a rare difference in lower-casing never lets one through.
 */
export const normalizedQuestionSql = (column: string) =>
  String.raw`lower(regexp_replace(btrim(regexp_replace(normalize(${column}, NFKC), '\s+', ' ', 'g')), '[\s?？!！。.,，;；:：~～]+$', ''))`;

export type FaqEntryFields = Pick<FaqEntry, 'question' | 'alternates' | 'answer' | 'tags' | 'enabled'>;

export interface FaqPageQuery {
  q?: string;
  enabled?: boolean;
  limit?: number;
  offset?: number;
}

@Injectable()
export class FaqEntryRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Runs `work` in one transaction; the repository's writes take its manager. */
  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /**
   * The KB's entries in KB order; `q` matches question, alternates or answer as typed, and the
   * question and alternates also as matching compares questions (normalizeQuestion): a customer's
   * question pasted with '?' finds the entry stored with '？', in any width or case.
   */
  page(kbId: string, query: FaqPageQuery): Promise<[FaqEntry[], number]> {
    const qb = this.db.getRepository(FaqEntry).createQueryBuilder('f').where('f.kb_id = :kbId', { kbId });
    if (query.q) {
      const normalized = normalizeQuestion(query.q);
      const asQuestion = normalized
        ? ` OR ${normalizedQuestionSql('f.question')} LIKE :normalized
            OR EXISTS (SELECT 1 FROM unnest(f.alternates) AS a(text) WHERE ${normalizedQuestionSql('a.text')} LIKE :normalized)`
        : '';
      qb.andWhere(
        `(f.question ILIKE :pattern OR f.answer ILIKE :pattern OR array_to_string(f.alternates, ' ') ILIKE :pattern${asQuestion})`,
        { pattern: containsPattern(query.q), normalized: containsPattern(normalized) },
      );
    }
    if (query.enabled !== undefined) qb.andWhere('f.enabled = :enabled', { enabled: query.enabled });
    qb.orderBy('f.ordinal', 'ASC').addOrderBy('f.createdAt', 'ASC');
    if (query.limit !== undefined) qb.limit(query.limit);
    if (query.offset) qb.offset(query.offset);
    return qb.getManyAndCount();
  }

  byId(kbId: string, faqId: string, m: EntityManager = this.db.manager): Promise<FaqEntry | null> {
    return m.getRepository(FaqEntry).findOneBy({ id: faqId, kbId });
  }

  /** The entry under a row lock held until `m`'s transaction ends: concurrent changes take turns. */
  lockForUpdate(m: EntityManager, kbId: string, faqId: string): Promise<FaqEntry | null> {
    return m.getRepository(FaqEntry).findOne({
      where: { id: faqId, kbId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /**
   * Inserts without an ordinal: the database gives the KB's next one, concurrent creates taking
   * turns (a per-KB lock in the faq_entry_ordinal trigger; unique (kb_id, ordinal) backs it up).
   */
  async insert(m: EntityManager, kbId: string, fields: FaqEntryFields): Promise<FaqEntry> {
    const inserted = await m
      .createQueryBuilder()
      .insert()
      .into(FaqEntry)
      .values({ kbId, ...fields })
      .returning('id')
      .execute();
    return m.getRepository(FaqEntry).findOneByOrFail({ id: (inserted.raw as { id: string }[])[0].id, kbId });
  }

  async update(
    m: EntityManager,
    kbId: string,
    faqId: string,
    fields: Partial<FaqEntryFields>,
  ): Promise<void> {
    await m.getRepository(FaqEntry).update({ id: faqId, kbId }, fields);
  }

  /**
   * The KB's enabled entries (but `exceptId`) whose question normalises to `normalized`
   * (`normalizedQuestionSql`), oldest first.
   */
  enabledWithQuestion(
    m: EntityManager,
    kbId: string,
    normalized: string,
    exceptId?: string,
  ): Promise<FaqEntry[]> {
    const qb = m
      .getRepository(FaqEntry)
      .createQueryBuilder('f')
      .where('f.kb_id = :kbId AND f.enabled', { kbId })
      .andWhere(`${normalizedQuestionSql('f.question')} = :normalized`, { normalized });
    if (exceptId) qb.andWhere('f.id <> :exceptId', { exceptId });
    return qb.orderBy('f.ordinal', 'ASC').getMany();
  }

  /** False when the KB holds no such entry. */
  async delete(m: EntityManager, kbId: string, faqId: string): Promise<boolean> {
    const result = await m.getRepository(FaqEntry).delete({ id: faqId, kbId });
    return Boolean(result.affected);
  }
}
