/**
 * Every query on intents and their examples. Each change also bumps the KB's intent revision in the
 * same transaction, so the classifier trained at revision r is known to be stale once r moves.
 */
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { IntentTrainingReport } from '@wendao/intent';
import { DataSource, type EntityManager } from 'typeorm';
import type { KbLanguage } from '../knowledge-bases/knowledge-base.entity';

export interface IntentRow {
  id: string;
  kbId: string;
  name: string;
  description: string | null;
  exampleCount: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface IntentExampleRow {
  id: string;
  intentId: string;
  text: string;
  createdAt: Date;
}

/** A KB's trained classifier as stored (the model as its JSON text: parsed off the main thread). */
export interface StoredIntentModel {
  revision: number;
  trainingHash: string;
  embedder: string | null;
  examples: number;
  model: string;
  report: IntentTrainingReport | null;
  trainMillis: number;
  trainedAt: Date;
}

const INTENT_COLUMNS = `i.id, i.kb_id AS "kbId", i.name, i.description, i.created_at AS "createdAt",
  i.updated_at AS "updatedAt",
  (SELECT count(*)::int FROM intent_example e WHERE e.intent_id = i.id) AS "exampleCount"`;

const EXAMPLE_COLUMNS = `id, intent_id AS "intentId", text, created_at AS "createdAt"`;

@Injectable()
export class IntentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Runs `work` in one transaction that also bumps the KB's intent revision. */
  async change<T>(kbId: string, work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      const result = await work(tx);
      await tx.query(
        `INSERT INTO kb_intent_revision (kb_id, revision) VALUES ($1, 1)
         ON CONFLICT (kb_id) DO UPDATE SET revision = kb_intent_revision.revision + 1, updated_at = now()`,
        [kbId],
      );
      return result;
    });
  }

  async revision(kbId: string): Promise<number> {
    const rows: Array<{ revision: string }> = await this.db.query(
      `SELECT revision FROM kb_intent_revision WHERE kb_id = $1`,
      [kbId],
    );
    return rows.length ? Number(rows[0].revision) : 0;
  }

  list(kbId: string): Promise<IntentRow[]> {
    return this.db.query(`SELECT ${INTENT_COLUMNS} FROM intent i WHERE i.kb_id = $1 ORDER BY i.name`, [kbId]);
  }

  async get(kbId: string, intentId: string, tx: EntityManager = this.db.manager): Promise<IntentRow | null> {
    const rows: IntentRow[] = await tx.query(
      `SELECT ${INTENT_COLUMNS} FROM intent i WHERE i.kb_id = $1 AND i.id = $2`,
      [kbId, intentId],
    );
    return rows[0] ?? null;
  }

  async byName(tx: EntityManager, kbId: string, name: string): Promise<{ id: string } | null> {
    const rows: Array<{ id: string }> = await tx.query(
      `SELECT id FROM intent WHERE kb_id = $1 AND name = $2`,
      [kbId, name],
    );
    return rows[0] ?? null;
  }

  async insert(tx: EntityManager, kbId: string, name: string, description: string | null): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO intent (kb_id, name, description) VALUES ($1, $2, $3) RETURNING id`,
      [kbId, name, description],
    );
    return rows[0].id;
  }

  async update(
    tx: EntityManager,
    kbId: string,
    intentId: string,
    fields: { name?: string; description?: string | null },
  ): Promise<boolean> {
    const [, count] = (await tx.query(
      `UPDATE intent SET name = COALESCE($3, name),
         description = CASE WHEN $4::boolean THEN $5 ELSE description END, updated_at = now()
       WHERE kb_id = $1 AND id = $2`,
      [kbId, intentId, fields.name ?? null, fields.description !== undefined, fields.description ?? null],
    )) as [unknown, number];
    return count > 0;
  }

  async delete(tx: EntityManager, kbId: string, intentId: string): Promise<boolean> {
    const [, count] = (await tx.query(`DELETE FROM intent WHERE kb_id = $1 AND id = $2`, [
      kbId,
      intentId,
    ])) as [unknown, number];
    return count > 0;
  }

  examples(kbId: string, intentId: string): Promise<IntentExampleRow[]> {
    return this.db.query(
      `SELECT ${EXAMPLE_COLUMNS} FROM intent_example WHERE kb_id = $1 AND intent_id = $2 ORDER BY seq`,
      [kbId, intentId],
    );
  }

  /** Inserts the texts not already examples of the intent; returns the rows inserted. */
  addExamples(
    tx: EntityManager,
    kbId: string,
    intentId: string,
    texts: string[],
  ): Promise<IntentExampleRow[]> {
    return tx.query(
      `INSERT INTO intent_example (intent_id, kb_id, text)
       SELECT $2, $1, t FROM unnest($3::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n
       ON CONFLICT (intent_id, text) DO NOTHING
       RETURNING ${EXAMPLE_COLUMNS}`,
      [kbId, intentId, texts],
    );
  }

  async deleteExample(
    tx: EntityManager,
    kbId: string,
    intentId: string,
    exampleId: string,
  ): Promise<boolean> {
    const [, count] = (await tx.query(
      `DELETE FROM intent_example WHERE kb_id = $1 AND intent_id = $2 AND id = $3`,
      [kbId, intentId, exampleId],
    )) as [unknown, number];
    return count > 0;
  }

  /** Every labelled example of the KB (the training set) and the revision it was read at. */
  async trainingSet(kbId: string): Promise<{
    revision: number;
    /** The KB's language (it picks the encoder the classifier's embedding features come from). */
    language: KbLanguage;
    examples: Array<{ text: string; intent: string }>;
    /** The intents that have examples, with their descriptions, by name. */
    intents: Array<{ name: string; description: string | null }>;
  }> {
    return this.db.transaction('REPEATABLE READ', async (tx) => {
      const rev: Array<{ revision: string }> = await tx.query(
        `SELECT revision FROM kb_intent_revision WHERE kb_id = $1`,
        [kbId],
      );
      const kb: Array<{ language: KbLanguage }> = await tx.query(
        `SELECT language FROM knowledge_base WHERE id = $1`,
        [kbId],
      );
      const examples: Array<{ text: string; intent: string }> = await tx.query(
        `SELECT e.text, i.name AS intent FROM intent_example e JOIN intent i ON i.id = e.intent_id
         WHERE e.kb_id = $1 ORDER BY i.name, e.seq`,
        [kbId],
      );
      const intents: Array<{ name: string; description: string | null }> = await tx.query(
        `SELECT i.name, i.description FROM intent i
         WHERE i.kb_id = $1 AND EXISTS (SELECT 1 FROM intent_example e WHERE e.intent_id = i.id)
         ORDER BY i.name`,
        [kbId],
      );
      const language = kb[0]?.language ?? 'mixed';
      return { revision: rev.length ? Number(rev[0].revision) : 0, language, examples, intents };
    });
  }

  /** The KB's stored classifier, if one was trained. */
  async storedModel(kbId: string): Promise<StoredIntentModel | null> {
    const rows: Array<Omit<StoredIntentModel, 'revision'> & { revision: string }> = await this.db.query(
      `SELECT revision, training_hash AS "trainingHash", embedder, examples, model::text AS model, report,
         train_millis AS "trainMillis", trained_at AS "trainedAt"
       FROM intent_model WHERE kb_id = $1`,
      [kbId],
    );
    return rows.length ? { ...rows[0], revision: Number(rows[0].revision) } : null;
  }

  /** Stores a trained classifier, unless one trained at a later revision is stored already. */
  async saveModel(
    kbId: string,
    m: Omit<StoredIntentModel, 'trainedAt'> & { trainedAt: Date },
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO intent_model (kb_id, revision, training_hash, embedder, examples, model, report, train_millis, trained_at)
       VALUES ($1, $2, $3, $4, $5, $6::json, $7::jsonb, $8, $9)
       ON CONFLICT (kb_id) DO UPDATE SET revision = EXCLUDED.revision, training_hash = EXCLUDED.training_hash,
         embedder = EXCLUDED.embedder, examples = EXCLUDED.examples, model = EXCLUDED.model,
         report = EXCLUDED.report, train_millis = EXCLUDED.train_millis, trained_at = EXCLUDED.trained_at
       WHERE intent_model.revision <= EXCLUDED.revision`,
      [
        kbId,
        m.revision,
        m.trainingHash,
        m.embedder,
        m.examples,
        m.model,
        m.report ? JSON.stringify(m.report) : null,
        Math.round(m.trainMillis),
        m.trainedAt,
      ],
    );
  }

  /**
   * The KB's latest `limit` logged questions (chat and REST ask, answered or not), each distinct text
   * once with how often it came: what the classifier's traffic mix is estimated from.
   */
  async recentQuestions(kbId: string, limit: number): Promise<Array<{ question: string; count: number }>> {
    return this.db.query(
      `SELECT question, count(*)::int AS count
       FROM (SELECT question FROM question_event WHERE kb_id = $1 ORDER BY created_at DESC LIMIT $2) recent
       GROUP BY question ORDER BY count DESC, question`,
      [kbId, limit],
    );
  }

  /** The KBs (of these organisations; empty: all) that have a stored classifier, to load at start. */
  async kbsWithStoredModel(organisations: string[]): Promise<string[]> {
    const rows: Array<{ kbId: string }> = await this.db.query(
      `SELECT m.kb_id AS "kbId" FROM intent_model m JOIN knowledge_base k ON k.id = m.kb_id
       WHERE cardinality($1::uuid[]) = 0 OR k.organisation_id = ANY($1::uuid[])`,
      [organisations],
    );
    return rows.map((r) => r.kbId);
  }
}
