import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/instant';

export type AuditDetails = Record<string, string | number | boolean | null>;

/** Who did what, when: kept whatever later happens to the thing it is about. */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @InstantColumn({ name: 'at' })
  at: Date;

  /** Null for the system itself (the no-show sweep, the waitlist). */
  @Column('uuid', { name: 'actor_id', nullable: true })
  actorId: string | null;

  /** The actor's name and role as they were then. */
  @Column('varchar', { name: 'actor', length: 240 })
  actor: string;

  /** e.g. `booking.cancelled`, `manual.published`, `certification.granted`. */
  @Column('varchar', { length: 60 })
  action: string;

  /** What it is about: `booking`, `equipment`, `manual`, `patron`, `hours`. */
  @Column('varchar', { name: 'subject_type', length: 30 })
  subjectType: string;

  /** Its id, slug, code or card number. */
  @Column('varchar', { name: 'subject', length: 120 })
  subject: string;

  @Column('simple-json', { nullable: true })
  details: AuditDetails | null;
}
