import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/instant';

/** How far a patron got through a walkthrough. */
@Entity('manual_progress')
export class ManualProgress {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @Column('uuid', { name: 'patron_id' })
  patronId: string;

  @Column('uuid', { name: 'manual_id' })
  manualId: string;

  /** The revision being read. */
  @Column('integer')
  revision: number;

  /** The highest step reached, 1-based. */
  @Column('integer')
  step: number;

  @InstantColumn({ name: 'updated_at' })
  updatedAt: Date;

  @InstantColumn({ name: 'completed_at', nullable: true })
  completedAt: Date | null;
}
