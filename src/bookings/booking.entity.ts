import { randomUUID } from 'node:crypto';
import { Column, Entity, Exclusion, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../accounts/user.entity';
import { InstantColumn, ON_POSTGRES } from '../database/instant';
import { Equipment } from '../equipment/equipment.entity';
import type { BookingStatus, DisplacementKind } from './booking-status';

export * from './booking-status';

/**
 * The database itself refuses two live bookings of one device whose blocked times overlap. The
 * constraint is compared by name only, so the name carries a version: change the expression,
 * change the name (and write a migration).
 */
export const NO_OVERLAP_CONSTRAINT = 'ex_bookings_no_overlap_v2';
const NoOverlap: ClassDecorator = ON_POSTGRES
  ? Exclusion(
      NO_OVERLAP_CONSTRAINT,
      `USING gist ("equipment_id" WITH =, tstzrange("start_at", "blocked_until", '[)') WITH &&) WHERE ("status" IN ('pending', 'confirmed', 'checked_in'))`,
    )
  : () => undefined;

@Entity('bookings')
@NoOverlap
export class Booking {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  /** Short code a patron reads out at the desk. */
  @Column('varchar', { length: 8, unique: true })
  code: string;

  @Column('uuid', { name: 'equipment_id' })
  equipmentId: string;

  @ManyToOne(() => Equipment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'equipment_id' })
  equipment: Equipment;

  @Column('uuid', { name: 'patron_id' })
  patronId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patron_id' })
  patron: User;

  /** Who made it: the patron, or the staff member at the desk. */
  @Column('uuid', { name: 'created_by_id' })
  createdById: string;

  @InstantColumn({ name: 'start_at' })
  start: Date;

  @InstantColumn({ name: 'end_at' })
  end: Date;

  /** End plus the device's buffer: the time this booking keeps the device from others. */
  @InstantColumn({ name: 'blocked_until' })
  blockedUntil: Date;

  @Column('varchar', { length: 16 })
  status: BookingStatus;

  @Column('text', { nullable: true })
  notes: string | null;

  @Column('varchar', { name: 'idempotency_key', length: 200, nullable: true })
  idempotencyKey: string | null;

  /** Bumped on every change, so calendar apps replace the event. */
  @Column('integer', { default: 0 })
  sequence: number;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt: Date;

  @InstantColumn({ name: 'checked_in_at', nullable: true })
  checkedInAt: Date | null;

  @InstantColumn({ name: 'completed_at', nullable: true })
  completedAt: Date | null;

  @InstantColumn({ name: 'cancelled_at', nullable: true })
  cancelledAt: Date | null;

  @InstantColumn({ name: 'no_show_at', nullable: true })
  noShowAt: Date | null;

  /**
   * When the patron could first use the booking: its start, or when it was made or moved or
   * promoted from the waitlist if that was later. The no-show grace period counts from here.
   */
  @InstantColumn({ name: 'usable_from', nullable: true })
  usableFrom: Date | null;

  @InstantColumn({ name: 'displaced_at', nullable: true })
  displacedAt: Date | null;

  @Column('varchar', { name: 'displaced_kind', length: 16, nullable: true })
  displacedKind: DisplacementKind | null;

  /** Why the lab took the time away, in words for the patron. */
  @Column('varchar', { name: 'displaced_reason', length: 600, nullable: true })
  displacedReason: string | null;

  /** A pending booking lapses at this moment if staff have not decided it. */
  @InstantColumn({ name: 'decide_by', nullable: true })
  decideBy: Date | null;

  @InstantColumn({ name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  /** The staff member who approved or denied it. */
  @Column('uuid', { name: 'decided_by_id', nullable: true })
  decidedById: string | null;

  /** Why it was denied (or that nobody decided in time), in words for the patron. */
  @Column('varchar', { name: 'decision_reason', length: 600, nullable: true })
  decisionReason: string | null;

  /** Answers to the device's booking questions, by question id. */
  @Column('simple-json', { nullable: true })
  answers: Record<string, string | number | boolean> | null;

  @InstantColumn({ name: 'terms_accepted_at', nullable: true })
  termsAcceptedAt: Date | null;

  /** The recurring series this booking is one occurrence of, if any. */
  @Column('uuid', { name: 'series_id', nullable: true })
  seriesId: string | null;

  @InstantColumn({ name: 'reminder_sent_at', nullable: true })
  reminderSentAt: Date | null;

  /** Loan kits: who handed the kit over (the time is `checkedInAt`). */
  @Column('uuid', { name: 'checked_out_by_id', nullable: true })
  checkedOutById: string | null;

  /** Loan kits: the parts handed over, ticked off the kit's checklist. */
  @Column('simple-json', { name: 'parts_out', nullable: true })
  partsOut: string[] | null;

  /** Loan kits: who took the kit back (the time is `completedAt`). */
  @Column('uuid', { name: 'returned_by_id', nullable: true })
  returnedById: string | null;

  @Column('varchar', { name: 'return_condition', length: 2000, nullable: true })
  returnCondition: string | null;

  /** Loan kits: parts handed over that did not come back. */
  @Column('simple-json', { name: 'missing_parts', nullable: true })
  missingParts: string[] | null;

  @InstantColumn({ name: 'overdue_notice_sent_at', nullable: true })
  overdueNoticeSentAt: Date | null;
}
