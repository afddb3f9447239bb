import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One opening interval on a weekday, in library-local wall-clock time. */
@Entity('weekly_hours')
export class WeeklyHours {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  /** The area these hours are for. */
  @Column('varchar', { name: 'area_slug', length: 60, default: 'dml' })
  areaSlug: string;

  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  @Column('integer')
  weekday: number;

  /** `HH:mm`, library-local. */
  @Column('varchar', { length: 5 })
  opens: string;

  @Column('varchar', { length: 5 })
  closes: string;
}
