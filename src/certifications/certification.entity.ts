import { randomUUID } from 'node:crypto';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { User } from '../accounts/user.entity';
import { InstantColumn } from '../database/instant';
import { Equipment } from '../equipment/equipment.entity';

/** A patron may use a device that requires orientation. */
@Entity('certifications')
export class Certification {
  @PrimaryColumn('uuid')
  id: string = randomUUID();

  @Column('uuid', { name: 'patron_id' })
  patronId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'patron_id' })
  patron: User;

  @Column('uuid', { name: 'equipment_id' })
  equipmentId: string;

  @ManyToOne(() => Equipment, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'equipment_id' })
  equipment: Equipment;

  /** Staff member who gave the orientation; null when earned by finishing a walkthrough. */
  @Column('uuid', { name: 'granted_by_id', nullable: true })
  grantedById: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'granted_by_id' })
  grantedBy: User | null;

  @InstantColumn({ name: 'granted_at' })
  grantedAt: Date;

  @InstantColumn({ name: 'expires_at', nullable: true })
  expiresAt: Date | null;
}
