import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A whole local date the lab is closed (a holiday, staff training, a burst pipe). */
@Entity('closures')
export class Closure {
  /** `YYYY-MM-DD`, library-local. */
  @PrimaryColumn('varchar', { length: 10 })
  date: string;

  @Column('varchar', { length: 200 })
  reason: string;
}
