import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BookingPolicy } from './policy';

@Entity('equipment_categories')
export class Category {
  @PrimaryColumn('varchar', { length: 60 })
  slug: string;

  @Column('varchar', { length: 120 })
  name: string;

  /** Defaults for every device in the category. */
  @Column('simple-json')
  policy: BookingPolicy;
}
