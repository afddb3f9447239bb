import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `area_slug` of a closure that closes every area of the library. */
export const WHOLE_LIBRARY = '';

/** A whole local date an area, or the whole library, is closed (a holiday, a burst pipe). */
@Entity('closures')
export class Closure {
  /** `YYYY-MM-DD`, library-local. */
  @PrimaryColumn('varchar', { length: 10 })
  date: string;

  /** The area closed; `WHOLE_LIBRARY` (empty) for every area. */
  @PrimaryColumn('varchar', { name: 'area_slug', length: 60, default: WHOLE_LIBRARY })
  areaSlug: string;

  @Column('varchar', { length: 200 })
  reason: string;
}
