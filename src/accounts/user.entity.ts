import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/instant';

export const ROLES = ['patron', 'staff', 'librarian'] as const;
export type Role = (typeof ROLES)[number];

@Entity('users')
export class User {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @Column('varchar', { length: 16 })
  role: Role;

  @Column('varchar', { length: 200 })
  name: string;

  /** Contact address; unique among staff and librarians, who sign in with it. */
  @Column('varchar', { length: 254, nullable: true })
  email: string | null;

  /** Library card number; patrons only, who sign in with it and a PIN. */
  @Column('varchar', { name: 'card_number', length: 20, nullable: true, unique: true })
  cardNumber: string | null;

  /** Library-local calendar date, `YYYY-MM-DD`. */
  @Column('varchar', { name: 'birth_date', length: 10, nullable: true })
  birthDate: string | null;

  /**
   * Patrons: the group staff chose or the ILS's patron type, lower case; null follows the
   * patron's age (`adult`, `teen`, `child`).
   */
  @Column('varchar', { name: 'patron_group', length: 40, nullable: true })
  patronGroup: string | null;

  /** scrypt hash of the PIN or password. */
  @Column('varchar', { name: 'secret_hash', length: 255 })
  secretHash: string;

  @Column('integer', { name: 'failed_sign_ins', default: 0 })
  failedSignIns: number;

  @InstantColumn({ name: 'locked_until', nullable: true })
  lockedUntil: Date | null;

  /** Booking is refused until then (no-shows, or a librarian's decision). */
  @InstantColumn({ name: 'suspended_until', nullable: true })
  suspendedUntil: Date | null;

  /** Secret of the patron's calendar feed URL; null until first asked for. */
  @Column('varchar', { name: 'calendar_token', length: 64, nullable: true, unique: true })
  calendarToken: string | null;

  /** Staff and librarian accounts a librarian switched off: no sign-in, no sessions. */
  @InstantColumn({ name: 'disabled_at', nullable: true })
  disabledAt: Date | null;

  /**
   * When the patron confirmed their e-mail or staff saw their card; null for a self-registration
   * not yet confirmed, which may sign in but not book. Every other account is verified when made.
   */
  @InstantColumn({ name: 'verified_at', nullable: true })
  verifiedAt: Date | null;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
