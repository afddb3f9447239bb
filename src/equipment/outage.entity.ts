import { randomUUID } from 'node:crypto';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { InstantColumn } from '../database/instant';
import { Equipment } from './equipment.entity';

/** A device out of service for a time range (repair, missing part, a jammed printer). */
@Entity('outages')
export class Outage {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @Column('uuid', { name: 'equipment_id' })
  equipmentId: string;

  @ManyToOne(() => Equipment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'equipment_id' })
  equipment: Equipment;

  @InstantColumn({ name: 'start_at' })
  start: Date;

  @InstantColumn({ name: 'end_at' })
  end: Date;

  @Column('varchar', { length: 500 })
  reason: string;

  @Column('uuid', { name: 'created_by_id', nullable: true })
  createdById: string | null;

  @InstantColumn({ name: 'created_at' })
  createdAt: Date;
}
