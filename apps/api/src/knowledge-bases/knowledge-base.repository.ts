/**
 * The knowledge_base table's queries: one KB by id, the KBs of organisations (paged), saving and
 * deleting, the version and content counts in one snapshot, the demo KB's lookups, and publishing a new version inside a
 * writer's transaction — the one home of `bumpVersion`, which FAQ, document and ingestion writes share.
 */
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, ILike, In, Repository } from 'typeorm';
import { containsPattern } from '../common/list-query.dto';
import { returningRows } from '../database/returning-rows';
import { KnowledgeBase, type KbLanguage } from './knowledge-base.entity';
import { withAdvisoryLock } from '../database/advisory-lock';

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

export interface KbSnapshot {
  version: number;
  faqs: number;
  documents: number;
  passages: number;
}

@Injectable()
export class KnowledgeBaseRepository {
  constructor(@InjectRepository(KnowledgeBase) private readonly kbs: Repository<KnowledgeBase>) {}

  /**
   * Every KB-scoped route and every question starts here, so it is one plain primary-key query
   * rather than a trip through the entity manager. Ids come validated from the edge.
   */
  async byId(id: string): Promise<KnowledgeBase | undefined> {
    const rows: KnowledgeBaseRow[] = await this.kbs.query(
      `SELECT id, organisation_id, name, language, faq_threshold, answer_threshold, settings, version, created_at, updated_at
       FROM knowledge_base WHERE id = $1`,
      [id],
    );
    const row = rows[0];
    if (!row) return undefined;
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

  /** The KBs of these organisations, oldest first; `q` matches the name. */
  async inOrganisations(
    organisationIds: string[],
    page: { q?: string; limit?: number; offset?: number },
  ): Promise<[KnowledgeBase[], number]> {
    if (organisationIds.length === 0) return [[], 0];
    return this.kbs.findAndCount({
      where: {
        organisationId: In(organisationIds),
        ...(page.q ? { name: ILike(containsPattern(page.q)) } : {}),
      },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
  }

  /** The oldest KB with this name, in any organisation (the demo KB; not for a tenant's request). */
  async oldestIdByName(name: string): Promise<string | undefined> {
    const rows: { id: string }[] = await this.kbs.query(
      'SELECT id FROM knowledge_base WHERE name = $1 ORDER BY created_at LIMIT 1',
      [name],
    );
    return rows[0]?.id;
  }

  /**
   * Whether another KB of the organisation has this name, compared without regard to case (the
   * console and the analytics picker tell KBs apart by name only) as the unique index
   * knowledge_base_organisation_name_key does (migration 1767100000000); `exceptId` is the KB being
   * renamed. A write racing past this check is refused by the index (isKbNameTaken).
   */
  async nameTaken(organisationId: string, name: string, exceptId?: string): Promise<boolean> {
    const rows: unknown[] = await this.kbs.query(
      `SELECT 1 FROM knowledge_base
       WHERE organisation_id = $1 AND lower(name) = lower($2) AND ($3::uuid IS NULL OR id <> $3::uuid)
       LIMIT 1`,
      [organisationId, name, exceptId ?? null],
    );
    return rows.length > 0;
  }

  /**
   * Runs `work` while no other process seeds the demo KB: replicas starting together on a fresh
   * database take turns (the lock of withAdvisoryLock), so only the first finds no KB and seeds.
   */
  whileSeedingDemo<T>(work: () => Promise<T>): Promise<T> {
    return withAdvisoryLock(this.kbs.manager.connection, 'wendao_demo_seed', work);
  }

  /** Whether the database holds no KB at all (first start). */
  async noneYet(): Promise<boolean> {
    const [{ count }]: { count: number }[] = await this.kbs.query(
      'SELECT count(*)::int AS count FROM knowledge_base',
    );
    return count === 0;
  }

  create(
    fields: Pick<KnowledgeBase, 'organisationId' | 'name' | 'language' | 'settings'>,
  ): Promise<KnowledgeBase> {
    return this.kbs.save(this.kbs.create(fields));
  }

  save(kb: KnowledgeBase): Promise<KnowledgeBase> {
    return this.kbs.save(kb);
  }

  async delete(id: string): Promise<void> {
    await this.kbs.delete({ id });
  }

  /**
   * A sample of the KB's own words, to tell which language its content is in: up to 100 FAQ questions
   * and the first 120 characters of up to 20 passages, whichever the index scan meets first (small and
   * unsorted: every KB view, list pages included, reads it).
   */
  async contentSample(kbId: string): Promise<string[]> {
    const rows: { text: string }[] = await this.kbs.query(
      `(SELECT question AS text FROM faq_entry WHERE kb_id = $1 LIMIT 100)
       UNION ALL
       (SELECT left(text, 120) AS text FROM passage WHERE kb_id = $1 LIMIT 20)`,
      [kbId],
    );
    return rows.map((r) => r.text);
  }

  /** One statement, one snapshot: the version and the counts always describe the same content. */
  async snapshot(kbId: string): Promise<KbSnapshot | undefined> {
    const [row]: KbSnapshot[] = await this.kbs.query(
      `SELECT version,
              (SELECT count(*) FROM faq_entry WHERE kb_id = $1)::int AS faqs,
              (SELECT count(*) FROM document WHERE kb_id = $1)::int AS documents,
              (SELECT count(*) FROM passage WHERE kb_id = $1)::int AS passages
       FROM knowledge_base WHERE id = $1`,
      [kbId],
    );
    return row;
  }

  /**
   * Sets the KB's language and publishes a new version in one statement (a KB's language picks the
   * encoder its index holds vectors of and its reader); its intent revision moves too, so every
   * replica trains its classifier again on the new encoder's features. Undefined when the KB is gone.
   */
  async changeLanguage(kbId: string, language: KbLanguage): Promise<number | undefined> {
    const rows: { version: number }[] = await this.kbs.query(
      `WITH kb AS (
         UPDATE knowledge_base SET language = $2, version = version + 1, updated_at = now()
         WHERE id = $1 RETURNING version
       ), intents AS (
         UPDATE kb_intent_revision SET revision = revision + 1, updated_at = now()
         WHERE kb_id = $1 AND EXISTS (SELECT 1 FROM kb)
       )
       SELECT version FROM kb`,
      [kbId, language],
    );
    return rows[0]?.version;
  }

  /** Publishes a new KB version inside the caller's transaction; undefined when the KB is gone. */
  async bumpVersion(manager: EntityManager, kbId: string): Promise<number | undefined> {
    const rows = returningRows<{ version: number }>(
      await manager.query(
        'UPDATE knowledge_base SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING version',
        [kbId],
      ),
    );
    return rows[0]?.version;
  }
}

/**
 * Whether `err` is the unique index on (organisation_id, lower(name)) refusing a KB name the
 * organisation already has: a create, rename or import that ran at the same instant as another of
 * that name got past the read-then-write check.
 */
export function isKbNameTaken(err: unknown): boolean {
  const e = err as {
    code?: string;
    constraint?: string;
    driverError?: { code?: string; constraint?: string };
  };
  const driver = e?.driverError ?? e;
  return driver?.code === '23505' && driver.constraint === 'knowledge_base_organisation_name_key';
}
