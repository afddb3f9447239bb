import { randomUUID } from 'node:crypto';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Area } from '../areas/area.entity';
import { InstantColumn } from '../database/instant';
import { Category } from './category.entity';
import type { BookingPolicy } from './policy';

export const EQUIPMENT_KINDS = ['station', 'loan'] as const;
export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];
export const EQUIPMENT_STATUSES = ['available', 'out_of_service', 'retired'] as const;
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES)[number];

@Entity('equipment')
export class Equipment {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @Column('varchar', { length: 80, unique: true })
  slug: string;

  @Column('varchar', { length: 200 })
  name: string;

  @Column('varchar', { name: 'category_slug', length: 60 })
  categorySlug: string;

  @ManyToOne(() => Category, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'category_slug' })
  category: Category;

  /** The area of the library the device is in (its desk, hours and closures). */
  @Column('varchar', { name: 'area_slug', length: 60, default: 'dml' })
  areaSlug: string;

  /** Loaded with the device wherever bookings are judged: its age limits apply to the device. */
  @ManyToOne(() => Area, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'area_slug', referencedColumnName: 'slug' })
  area?: Area;

  @Column('varchar', { length: 16 })
  kind: EquipmentKind;

  @Column('varchar', { length: 20, default: 'available' })
  status: EquipmentStatus;

  @Column('varchar', { length: 200, default: '' })
  location: string;

  @Column('text', { default: '' })
  description: string;

  @Column('boolean', { name: 'requires_orientation', default: false })
  requiresOrientation: boolean;

  @Column('integer', { name: 'min_age', default: 0 })
  minAge: number;

  /** Only the settings that differ from the category's. */
  @Column('simple-json', { name: 'policy_overrides', nullable: true })
  policyOverrides: Partial<BookingPolicy> | null;

  @Column('varchar', { name: 'asset_tag', length: 40, nullable: true, unique: true })
  assetTag: string | null;

  /** Loan kits: the checklist of parts handed over and checked on return. */
  @Column('simple-json', { nullable: true })
  parts: string[] | null;

  /** `/api/images/<sha256>.<ext>`; set together with `photoAlt`. */
  @Column('varchar', { name: 'photo_src', length: 120, nullable: true })
  photoSrc: string | null;

  @Column('varchar', { name: 'photo_alt', length: 300, nullable: true })
  photoAlt: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;

  @InstantColumn({ name: 'updated_at' })
  updatedAt: Date;

  @InstantColumn({ name: 'retired_at', nullable: true })
  retiredAt: Date | null;
}
