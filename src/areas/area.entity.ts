import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The lab's own part of the library when no other area is named. */
export const MAIN_AREA = 'dml';

/**
 * A part of the library with its own desk, weekly hours and closures (the Digital Media Lab, the
 * Teen Room). Every device belongs to one.
 */
@Entity('areas')
export class Area {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @Column('varchar', { length: 60, unique: true })
  slug: string;

  @Column('varchar', { length: 200 })
  name: string;

  /** Where it is, e.g. "Power Library, second floor". */
  @Column('varchar', { length: 200, default: '' })
  location: string;

  @Column('text', { default: '' })
  description: string;

  /** Youngest age that may book its devices; null: no limit. */
  @Column('integer', { name: 'min_age', nullable: true })
  minAge: number | null;

  /** Oldest age that may book its devices (the Teen Room: 18); null: no limit. */
  @Column('integer', { name: 'max_age', nullable: true })
  maxAge: number | null;

  /** Order in lists and pickers. */
  @Column('integer', { default: 0 })
  position: number;
}
