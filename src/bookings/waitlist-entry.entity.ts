import { randomUUID } from 'node:crypto';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../accounts/user.entity';
import { InstantColumn } from '../database/instant';
import { Equipment } from '../equipment/equipment.entity';

export const WAITLIST_STATUSES = ['waiting', 'promoted', 'left', 'expired'] as const;
export type WaitlistStatus = (typeof WAITLIST_STATUSES)[number];

/** A patron queued for a taken time; the first who still qualifies gets it when it frees. */
@Entity('waitlist_entries')
export class WaitlistEntry {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @Column('uuid', { name: 'equipment_id' })
  equipmentId: string;

  @ManyToOne(() => Equipment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'equipment_id' })
  equipment: Equipment;

  @Column('uuid', { name: 'patron_id' })
  patronId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patron_id' })
  patron: User;

  @InstantColumn({ name: 'start_at' })
  start: Date;

  @InstantColumn({ name: 'end_at' })
  end: Date;

  @Column('varchar', { length: 16 })
  status: WaitlistStatus;

  @Column('uuid', { name: 'booking_id', nullable: true })
  bookingId: string | null;

  /** Order of joining among the device's entries: 1, 2, 3 … */
  @Column('integer')
  place: number;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
