/**
 * An uploaded file that made it into a knowledge base. Rows exist only for fully ingested files
 * (they are written in the same transaction as their passages); failures live on the job.
 */
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('document')
export class SourceDocument {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'kb_id' })
  kbId: string;

  @Column('text', { name: 'file_name' })
  fileName: string;

  /** The parser's source type: csv, xlsx, json, markdown, html, txt, docx, pdf. */
  @Column('text')
  type: string;

  @Column('text', { nullable: true })
  mime: string | null;

  @Column('char', { length: 64 })
  sha256: string;

  @Column('integer', { name: 'size_bytes' })
  sizeBytes: number;

  @Column('text', { default: 'ready' })
  status: 'ready';

  @Column('integer', { name: 'passage_count', default: 0 })
  passageCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
