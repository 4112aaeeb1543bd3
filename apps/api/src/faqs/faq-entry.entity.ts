/**
 * An FAQ entry: a question, its alternate phrasings and the answer given verbatim when a user's
 * question matches. Entries from an uploaded file point at that document and go with it.
 */
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('faq_entry')
export class FaqEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'kb_id' })
  kbId: string;

  /** Set when the entry came from an uploaded file; deleting the document deletes the entry. */
  @Column('uuid', { name: 'document_id', nullable: true })
  documentId: string | null;

  /** Integer key of this item in the KB's retriever indexes (shared sequence with the other kind). */
  @Column({ type: 'integer', insert: false, update: false })
  seq: number;

  @Column('text')
  question: string;

  @Column('text', { array: true, default: () => "'{}'" })
  alternates: string[];

  @Column('text')
  answer: string;

  @Column('text', { array: true, default: () => "'{}'" })
  tags: string[];

  @Column('boolean', { default: true })
  enabled: boolean;

  /**
   * Keeps the file's order (and the export's) stable; unique per KB. Left out of an insert, the
   * database assigns the KB's next one (trigger faq_entry_ordinal, migration 1765000000000).
   */
  @Column('integer')
  ordinal: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
