import { randomUUID } from 'node:crypto';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../accounts/user.entity';
import { InstantColumn } from '../database/instant';
import { Equipment } from '../equipment/equipment.entity';

export type RepeatEvery = 'day' | 'week';

/** Recurring bookings made by staff: a patron's weekly slot, a club, a class. */
@Entity('booking_series')
export class BookingSeries {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @Column('uuid', { name: 'equipment_id' })
  equipmentId: string;

  @ManyToOne(() => Equipment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'equipment_id' })
  equipment: Equipment;

  /** The patron it is for; for a lab programme, the staff member who runs it. */
  @Column('uuid', { name: 'patron_id' })
  patronId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patron_id' })
  patron: User;

  @Column('uuid', { name: 'created_by_id' })
  createdById: string;

  /** A programme's name ("Teen podcast club"), or null for a patron's own series. */
  @Column('varchar', { length: 200, nullable: true })
  title: string | null;

  @Column('varchar', { name: 'repeat_every', length: 8 })
  every: RepeatEvery;

  @Column('integer', { name: 'repeat_count', nullable: true })
  count: number | null;

  /** The last local date an occurrence may fall on (`YYYY-MM-DD`). */
  @Column('varchar', { name: 'repeat_until', length: 10, nullable: true })
  until: string | null;

  @InstantColumn({ name: 'first_start' })
  firstStart: Date;

  @InstantColumn({ name: 'first_end' })
  firstEnd: Date;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
