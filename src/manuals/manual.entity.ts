import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/instant';
import { type ManualContent, manualContentColumn } from './manual-content';

/** A walkthrough: its working draft and which revision patrons read. */
@Entity('manuals')
export class Manual {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @Column('varchar', { length: 80, unique: true })
  slug: string;

  /** The librarian's working copy; null when it matches the published revision. */
  @Column('simple-json', { nullable: true, transformer: manualContentColumn })
  draft: ManualContent | null;

  @Column('uuid', { name: 'draft_author_id', nullable: true })
  draftAuthorId: string | null;

  @InstantColumn({ name: 'draft_updated_at', nullable: true })
  draftUpdatedAt: Date | null;

  /** Number of the revision patrons see; null until first published. */
  @Column('integer', { name: 'published_revision', nullable: true })
  publishedRevision: number | null;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
