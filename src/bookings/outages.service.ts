import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { Clock } from '../common/clock';
import { parseInstant } from '../common/time';
import { toDbInstant } from '../database/instant';
import { WriteTransactionService } from '../database/write-transaction.service';
import { EquipmentService } from '../equipment/equipment.service';
import { Outage } from '../equipment/outage.entity';
import { Booking, LIVE_STATUSES } from './booking.entity';
import type { BookingWithParties } from './booking-notifier';

@Injectable()
export class OutagesService {
  constructor(
    @InjectRepository(Outage) private readonly outages: Repository<Outage>,
    private readonly equipment: EquipmentService,
    private readonly writes: WriteTransactionService,
    private readonly clock: Clock,
  ) {}

  /** Marks a device out of service for a while; returns the live bookings it collides with. */
  async create(
    slug: string,
    start: string,
    end: string,
    reason: string,
    by: User,
  ): Promise<{ outage: Outage; collisions: BookingWithParties[] }> {
    const device = await this.equipment.get(slug);
    const interval = { start: parseInstant(start)!, end: parseInstant(end)! };
    if (interval.end <= interval.start)
      throw new BadRequestException('end must be later than start');
    return this.writes.run(async (manager) => {
      const outage = manager.create(Outage, {
        equipmentId: device.id,
        ...interval,
        reason,
        createdById: by.id,
        createdAt: this.clock.now(),
      });
      await manager.insert(Outage, outage);
      const collisions = await manager
        .createQueryBuilder(Booking, 'b')
        .innerJoinAndSelect('b.equipment', 'e')
        .innerJoinAndSelect('b.patron', 'p')
        .where('b.equipment_id = :device', { device: device.id })
        .andWhere('b.status IN (:...live)', { live: LIVE_STATUSES })
        .andWhere('b.start_at < :end AND b.end_at > :start', {
          start: toDbInstant(interval.start),
          end: toDbInstant(interval.end),
        })
        .orderBy('b.start_at')
        .getMany();
      return { outage, collisions: collisions };
    });
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
