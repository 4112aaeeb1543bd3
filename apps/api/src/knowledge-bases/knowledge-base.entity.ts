/**
 * A knowledge base: the unit that is asked, versioned and exported. Every content change bumps
 * `version`; answer-cache keys and persisted indexes carry it, so nothing stale is ever served.
 */
import type { CalibrationReport, StoredCalibration } from '@wendao/answer';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type KbLanguage = 'zh' | 'en' | 'mixed';

export interface KnowledgeBaseSettings {
  /** Chunking overrides for this KB's uploads (defaults come from the app config). */
  chunkTargetLength?: number;
  chunkMaxLength?: number;
  /** Sentences repeated between consecutive passages. */
  chunkOverlap?: number;
  /** Text of the fallback answer; the default depends on the KB language. */
  fallbackMessage?: string;
  /** Precision an FAQ answer must keep; the calibrated thresholds are chosen for it (default 0.9). */
  targetPrecision?: number;
}

/** The last threshold calibration on the KB's content, with its report. */
export interface KbCalibration extends StoredCalibration {
  report: Omit<CalibrationReport, 'thresholds'>;
}

@Entity('knowledge_base')
export class KnowledgeBase {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The tenant that owns the KB; every access check starts from it. */
  @Column('uuid', { name: 'organisation_id' })
  organisationId: string;

  @Column('text')
  name: string;

  /** Changed by changeLanguage's UPDATE only (it publishes a version: the language picks the encoder). */
  @Column({ type: 'text', update: false })
  language: KbLanguage;

  /** Null: the mode's default (see thresholds.ts). */
  @Column('real', { name: 'faq_threshold', nullable: true })
  faqThreshold: number | null;

  @Column('real', { name: 'answer_threshold', nullable: true })
  answerThreshold: number | null;

  @Column('jsonb', { default: () => "'{}'::jsonb" })
  settings: KnowledgeBaseSettings;

  /** Written by the calibration service's own UPDATE only: saving the entity never writes back a stale one. */
  @Column({ type: 'jsonb', nullable: true, update: false })
  calibration: KbCalibration | null;

  /**
   * Bumped by the writers' UPDATE (bumpVersion, changeLanguage) only: saving an entity read before a
   * concurrent publish must not set it back.
   */
  @Column({ type: 'integer', default: 1, update: false })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
