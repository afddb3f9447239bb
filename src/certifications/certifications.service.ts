import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { EntityManager, Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { toDbInstant } from '../database/instant';
import { queryNamed } from '../database/named-query';
import { WriteTransactionService } from '../database/write-transaction.service';
import type { Equipment } from '../equipment/equipment.entity';
import { Certification } from './certification.entity';

@Injectable()
export class CertificationsService {
  constructor(
    @InjectRepository(Certification) private readonly certifications: Repository<Certification>,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  listFor(patronId: string): Promise<Certification[]> {
    return this.certifications.find({
      where: { patronId },
      relations: { equipment: true, grantedBy: true },
      order: { grantedAt: 'ASC' },
    });
  }

  /** Whether the patron holds a certification for the device that has not expired. */
  async isCertified(
    patronId: string,
    equipmentId: string,
    at: Date,
    manager: EntityManager = this.certifications.manager,
  ): Promise<boolean> {
    const rows = await queryNamed(
      manager,
      `SELECT 1 AS held FROM certifications c
       WHERE c.patron_id = :patron AND c.equipment_id = :device
         AND (c.expires_at IS NULL OR c.expires_at > :at)`,
      { patron: patronId, device: equipmentId, at: toDbInstant(at) },
    );
    return rows.length > 0;
  }

  /** Grants or renews; one certification per patron and device. */
  async grant(
    patron: User,
    device: Equipment,
    grantedBy: User | null,
    validMonths?: number,
  ): Promise<Certification> {
    const now = this.clock.now();
    const months = validMonths ?? this.config.certificationMonths;
    // Calendar months in the library's zone: 9 am in December lapses at 9 am local in June.
    const expiresAt = months
      ? DateTime.fromJSDate(now, { zone: this.config.timezone }).plus({ months }).toJSDate()
      : null;
    await this.writes.run(async (manager) => {
      const existing = await manager.findOneBy(Certification, {
        patronId: patron.id,
        equipmentId: device.id,
      });
      const row =
        existing ?? manager.create(Certification, { patronId: patron.id, equipmentId: device.id });
      Object.assign(row, { grantedById: grantedBy?.id ?? null, grantedAt: now, expiresAt });
      await manager.save(row);
      await this.audit.record(manager, grantedBy, {
        action: 'certification.granted',
        subjectType: 'patron',
        subject: patron.cardNumber ?? patron.id,
        details: { equipment: device.slug, by: grantedBy ? 'orientation' : 'walkthrough' },
      });
    });
    return (await this.certifications.findOne({
      where: { patronId: patron.id, equipmentId: device.id },
      relations: { equipment: true, grantedBy: true },
    }))!;
  }
}
