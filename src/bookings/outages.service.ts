import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { parseInstant } from '../common/time';
import { EquipmentService } from '../equipment/equipment.service';
import { Outage } from '../equipment/outage.entity';
import type { BookingWithParties } from './booking-notifier';
import { Alternative, DisplacementService } from './displacement.service';

export type { Alternative } from './displacement.service';

@Injectable()
export class OutagesService {
  constructor(
    @InjectRepository(Outage) private readonly outages: Repository<Outage>,
    private readonly equipment: EquipmentService,
    private readonly displacement: DisplacementService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Marks a device out of service for a while. The live bookings it hits are displaced and
   * their patrons told (see DisplacementService); bookings in use are left as they are. All of
   * them are returned as collisions. A preview writes nothing.
   */
  async create(
    slug: string,
    start: string,
    end: string,
    reason: string,
    by: User,
    preview = false,
  ): Promise<{
    outage: Outage;
    collisions: BookingWithParties[];
    displaced: BookingWithParties[];
    alternatives: Alternative[];
  }> {
    const device = await this.equipment.get(slug);
    const interval = { start: parseInstant(start)!, end: parseInstant(end)! };
    if (interval.end <= interval.start)
      throw new BadRequestException('end must be later than start');
    const row = this.outages.create({
      equipmentId: device.id,
      ...interval,
      reason,
      createdById: by.id,
      createdAt: this.clock.now(),
    });
    const hits = await this.displacement.apply(
      preview,
      by,
      async (manager) => {
        await this.displacement.lockDevice(manager, device.id);
        await manager.insert(Outage, row);
        await this.audit.record(manager, by, {
          action: 'equipment.outage',
          subjectType: 'equipment',
          subject: device.slug,
          details: { start: interval.start.toISOString(), end: interval.end.toISOString(), reason },
        });
      },
      () => ({ kind: 'outage', deviceId: device.id, interval, reason }),
    );
    const collisions = [...hits.displaced, ...hits.inUse].sort(
      (a, b) => a.start.getTime() - b.start.getTime(),
    );
    return { outage: row, collisions, displaced: hits.displaced, alternatives: hits.alternatives };
  }

  async list(slug: string): Promise<Outage[]> {
    await this.equipment.get(slug);
    return this.outages
      .createQueryBuilder('o')
      .innerJoin('o.equipment', 'e')
      .where('e.slug = :slug', { slug })
      .orderBy('o.start_at', 'ASC')
      .getMany();
  }
}
