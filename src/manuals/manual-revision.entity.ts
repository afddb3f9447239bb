import { randomUUID } from 'node:crypto';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../accounts/user.entity';
import { InstantColumn } from '../database/instant';
import { type ManualContent, manualContentColumn } from './manual-content';
import { Manual } from './manual.entity';

/** A published revision, kept for ever: history, restore, and what a certification was earned on. */
@Entity('manual_revisions')
export class ManualRevision {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @Column('uuid', { name: 'manual_id' })
  manualId: string;

  @ManyToOne(() => Manual, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'manual_id' })
  manual: Manual;

  @Column('integer')
  number: number;

  @Column('simple-json', { transformer: manualContentColumn })
  content: ManualContent;

  /** Null for revisions imported from `manuals/` files. */
  @Column('uuid', { name: 'author_id', nullable: true })
  authorId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'author_id' })
  author: User | null;

  /** The librarian marked it as changing how the device is used. */
  @Column('boolean', { name: 'changes_usage', default: false })
  changesUsage: boolean;

  @Column('text', { nullable: true })
  note: string | null;

  @InstantColumn({ name: 'published_at' })
  publishedAt: Date;
}
