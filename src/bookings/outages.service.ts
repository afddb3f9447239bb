import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { parseInstant } from '../common/time';
import { AppConfig } from '../config/app-config';
import { toDbInstant } from '../database/instant';
import { WriteTransactionService } from '../database/write-transaction.service';
import type { Equipment } from '../equipment/equipment.entity';
import { EquipmentService } from '../equipment/equipment.service';
import { Outage } from '../equipment/outage.entity';
import { formatBookingTime } from '../notifications/notice-message';
import { AvailabilityService } from './availability.service';
import { Booking, LIVE_STATUSES } from './booking.entity';
import { BookingNotifier, BookingWithParties } from './booking-notifier';
import type { Interval } from './rules';

/** Another device at the same time, or the same device later, offered to a patron an outage hits. */
export interface Alternative extends Interval {
  bookingId: string;
  equipment: string;
  equipmentName: string;
}

/** How many days after the outage to look for a free time on the same device. */
const SEARCH_DAYS = 14;

@Injectable()
export class OutagesService {
  constructor(
    @InjectRepository(Outage) private readonly outages: Repository<Outage>,
    private readonly equipment: EquipmentService,
    private readonly availability: AvailabilityService,
    private readonly notifier: BookingNotifier,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Marks a device out of service for a while. The live bookings it collides with are returned,
   * and each patron is told, with the first alternative found: a like device (same category)
   * free at the same time, else the same device's next free time of the same length.
   */
  async create(
    slug: string,
    start: string,
    end: string,
    reason: string,
    by: User,
  ): Promise<{ outage: Outage; collisions: BookingWithParties[]; alternatives: Alternative[] }> {
    const device = await this.equipment.get(slug);
    const interval = { start: parseInstant(start)!, end: parseInstant(end)! };
    if (interval.end <= interval.start)
      throw new BadRequestException('end must be later than start');
    const { outage, collisions } = await this.writes.run(async (manager) => {
      const row = manager.create(Outage, {
        equipmentId: device.id,
        ...interval,
        reason,
        createdById: by.id,
        createdAt: this.clock.now(),
      });
      await manager.insert(Outage, row);
      await this.audit.record(manager, by, {
        action: 'equipment.outage',
        subjectType: 'equipment',
        subject: device.slug,
        details: { start: interval.start.toISOString(), end: interval.end.toISOString(), reason },
      });
      const hit = await manager
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
      return { outage: row, collisions: hit };
    });
    const alternatives: Alternative[] = [];
    const offers: { bookingId: string; extra: string }[] = [];
    for (const booking of collisions) {
      const alternative = await this.alternativeFor(booking, device, interval);
      if (alternative) alternatives.push(alternative);
      const offer = alternative
        ? `We can offer instead: the ${alternative.equipmentName}, ${formatBookingTime(alternative.start, alternative.end, this.config.timezone)}. It is not held for you: book it, or ask the desk.`
        : 'Please ask the desk for another time.';
      offers.push({ bookingId: booking.id, extra: `Reason: ${reason}\n${offer}` });
    }
    if (offers.length > 0) {
      await this.writes.run(async (manager) => {
        for (const { bookingId, extra } of offers)
          await this.notifier.tell(manager, 'outage', bookingId, extra);
      });
    }
    return { outage, collisions, alternatives };
  }

  private async alternativeFor(
    booking: BookingWithParties,
    device: Equipment,
    outage: Interval,
  ): Promise<Alternative | null> {
    const same = { start: booking.start, end: booking.end };
    const like = (await this.availability.freeDuring(same, device.categorySlug)).find(
      (d) => d.id !== device.id && d.kind === device.kind,
    );
    if (like)
      return { bookingId: booking.id, equipment: like.slug, equipmentName: like.name, ...same };
    const minutes = (booking.end.getTime() - booking.start.getTime()) / 60_000;
    const zone = this.config.timezone;
    const first = DateTime.fromJSDate(outage.end, { zone }).startOf('day');
    for (let day = 0; day < SEARCH_DAYS; day++) {
      const date = first.plus({ days: day }).toISODate()!;
      const { slots } = await this.availability.day(device.slug, date);
      for (let i = 0; i < slots.length; i++) {
        if (slots[i].start < outage.end) continue;
        const wantedEnd = new Date(slots[i].start.getTime() + minutes * 60_000);
        // Extend over back-to-back free slots until the booking's length is covered.
        let reached = slots[i].start;
        for (let k = i; k < slots.length && reached < wantedEnd; k++) {
          if (!slots[k].available || slots[k].start.getTime() !== reached.getTime()) break;
          reached = slots[k].end;
        }
        if (reached >= wantedEnd) {
          return {
            bookingId: booking.id,
            equipment: device.slug,
            equipmentName: device.name,
            start: slots[i].start,
            end: wantedEnd,
          };
        }
      }
    }
    return null;
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
