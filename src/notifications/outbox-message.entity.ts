import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/instant';
import type { BookingNotice, NoticeKind } from './booking-notice';

export const OUTBOX_STATUSES = ['pending', 'held', 'sent', 'failed', 'skipped'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** A notice about a booking, rendered (wording and calendar file) when it is delivered. */
export interface BookingNoticePayload {
  type: 'booking';
  kind: NoticeKind;
  notice: BookingNotice;
}

/** A message written out in full when it was queued (a walkthrough the desk sends, say). */
export interface PlainMailPayload {
  type: 'mail';
  to: string;
  subject: string;
  text: string;
}

export type OutboxPayload = BookingNoticePayload | PlainMailPayload;

/**
 * One e-mail waiting to go, going or gone. It is written in the same transaction as the change it
 * reports, so a change is never without its notice and a notice never without its change; a
 * worker delivers it afterwards.
 */
@Entity('notifications')
export class OutboxMessage {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  /** `confirmed`, `reminder`, …, or `mail` for a message written out in full. */
  @Column('varchar', { length: 32 })
  kind: string;

  /** Who it is for, kept for staff to see; null when the patron has no address. */
  @Column('varchar', { length: 320, nullable: true })
  recipient: string | null;

  @Column('varchar', { length: 300 })
  subject: string;

  @Column('uuid', { name: 'booking_id', nullable: true })
  bookingId: string | null;

  @Column('simple-json')
  payload: OutboxPayload;

  @Column('varchar', { length: 16 })
  status: OutboxStatus;

  @Column('integer', { default: 0 })
  attempts: number;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;

  /** When the worker may next try it. */
  @InstantColumn({ name: 'next_attempt_at' })
  nextAttemptAt: Date;

  /** After this the message is given up as failed (48 hours after it was queued or retried). */
  @InstantColumn({ name: 'give_up_at' })
  giveUpAt: Date;

  /** While an instance delivers it, no other may; a crash lets the claim run out and it goes again. */
  @InstantColumn({ name: 'claimed_until', nullable: true })
  claimedUntil: Date | null;

  @Column('varchar', { name: 'claim_token', length: 36, nullable: true })
  claimToken: string | null;

  @InstantColumn({ name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @Column('text', { name: 'last_error', nullable: true })
  lastError: string | null;
}
