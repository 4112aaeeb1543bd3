/**
 * A chunk of a document's prose: what retrieval finds and the reader reads. `start`/`end` are
 * UTF-16 offsets into the document's extracted text; the embedding is float4 little-endian bytes.
 */
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('passage')
@Index(['documentId', 'ordinal'], { unique: true })
export class Passage {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid', { name: 'kb_id' })
  kbId: string;

  @Column('uuid', { name: 'document_id' })
  documentId: string;

  /** Integer key of this item in the KB's retriever indexes (shared sequence with the other kind). */
  @Column({ type: 'integer', insert: false, update: false })
  seq: number;

  @Column('integer')
  ordinal: number;

  @Column('text')
  text: string;

  @Column('integer', { name: 'start_offset' })
  start: number;

  @Column('integer', { name: 'end_offset' })
  end: number;

  @Column('bytea', { nullable: true })
  embedding: Buffer | null;

  /** Which encoder produced the embedding: vectors from another model are recomputed. */
  @Column('text', { name: 'embedding_model', nullable: true })
  embeddingModel: string | null;
}
