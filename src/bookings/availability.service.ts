import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { Clock } from '../common/clock';
import { localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { toDbInstant } from '../database/instant';
import type { Equipment } from '../equipment/equipment.entity';
import { EquipmentService } from '../equipment/equipment.service';
import { Outage } from '../equipment/outage.entity';
import { effectivePolicy } from '../equipment/policy';
import { HoursService } from '../hours/hours.service';
import { Blocked, dayGrid, overlaps, Slot, slotFree } from './availability';
import { Booking, LIVE_STATUSES } from './booking.entity';
import { isOverdueLoan } from './booking-engine.service';
import type { Interval } from './rules';

export interface DayAvailability {
  date: string;
  timezone: string;
  open: Interval[];
  slots: Slot[];
}

/** The end of time, as far as a kit that has not come back is concerned. */
const UNTIL_RETURNED = new Date(8.64e15);

/** The longest span the "what's free" search looks at. */
const MAX_SEARCH_DAYS = 31;

@Injectable()
export class AvailabilityService {
  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    @InjectRepository(Outage) private readonly outages: Repository<Outage>,
    private readonly equipment: EquipmentService,
    private readonly hours: HoursService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** The day's slots of one device, each marked free or not. */
  async day(slug: string, date: string): Promise<DayAvailability> {
    const [day] = await this.days(slug, date, date);
    return day;
  }

  /**
   * Each day's slots from `from` to `to` (local dates), with one read of the device, the hours
   * and the bookings for the whole span.
   */
  async days(slug: string, from: string, to: string): Promise<DayAvailability[]> {
    const device = await this.equipment.get(slug);
    const policy = effectivePolicy(device.category.policy, device.policyOverrides);
    const zone = this.config.timezone;
    const grids = (await this.hours.days(from, to)).map(({ date, open }) => ({
      date,
      open,
      grid: dayGrid(date, open, policy.slotMinutes, device.kind, zone),
    }));
    const slots = grids.flatMap((d) => d.grid);
    const span = slots.length ? { start: slots[0].start, end: slots[slots.length - 1].end } : null;
    const [blocked, outages] = span ? await this.busy([device.id], span) : [[], []];
    const now = this.clock.now();
    const usable = device.status === 'available';
    return grids.map(({ date, open, grid }) => ({
      date,
      timezone: zone,
      open,
      slots: grid.map((slot) => ({
        ...slot,
        available: usable && slotFree(slot, policy.bufferMinutes, blocked, outages, now),
      })),
    }));
  }

  /** Devices free, open and in service for the whole interval. */
  async freeDuring(request: Interval, category?: string): Promise<Equipment[]> {
    if (request.end <= request.start) throw new BadRequestException('end must be later than start');
    if (request.end.getTime() - request.start.getTime() > MAX_SEARCH_DAYS * 86_400_000) {
      throw new BadRequestException(`start and end may be at most ${MAX_SEARCH_DAYS} days apart`);
    }
    const zone = this.config.timezone;
    const devices = (await this.equipment.list({ category })).filter(
      (d) => d.status === 'available',
    );
    const firstDay = localDate(request.start, zone);
    const lastDay = localDate(new Date(request.end.getTime() - 1), zone);
    const days = await this.hours.days(firstDay, lastDay);
    const [blocked, outages] = await this.busy(
      devices.map((d) => d.id),
      request,
    );
    const now = this.clock.now();
    return devices.filter((device) => {
      const policy = effectivePolicy(device.category.policy, device.policyOverrides);
      const open =
        device.kind === 'loan'
          ? days.every((d) => d.open.length > 0)
          : days.length === 1 &&
            days[0].open.some((o) => o.start <= request.start && request.end <= o.end);
      return (
        open &&
        slotFree(
          request,
          policy.bufferMinutes,
          blocked.filter((b) => b.equipmentId === device.id),
          outages.filter((o) => o.equipmentId === device.id),
          now,
        )
      );
    });
  }

  /** Live bookings and outages of the devices near the span (bookings a day either side, for buffers). */
  private async busy(
    deviceIds: string[],
    span: Interval,
  ): Promise<[(Blocked & { equipmentId: string })[], Outage[]]> {
    if (deviceIds.length === 0) return [[], []];
    const reach = {
      start: new Date(span.start.getTime() - 86_400_000),
      end: new Date(span.end.getTime() + 86_400_000),
    };
    const [bookings, outages] = await Promise.all([
      this.bookings
        .createQueryBuilder('b')
        .innerJoin('b.equipment', 'e')
        .select([
          'b.id',
          'b.equipmentId',
          'b.start',
          'b.blockedUntil',
          'b.status',
          'e.id',
          'e.kind',
        ])
        .where({ equipmentId: In(deviceIds) })
        .andWhere('b.status IN (:...live)', { live: LIVE_STATUSES })
        .andWhere(
          "b.start_at < :end AND (b.blocked_until > :start OR (e.kind = 'loan' AND b.status = 'checked_in'))",
          { start: toDbInstant(reach.start), end: toDbInstant(reach.end) },
        )
        .getMany(),
      this.outages
        .createQueryBuilder('o')
        .where({ equipmentId: In(deviceIds) })
        .andWhere('o.start_at < :end AND o.end_at > :start', {
          start: toDbInstant(span.start),
          end: toDbInstant(span.end),
        })
        .getMany(),
    ]);
    const now = this.clock.now();
    // A kit still out after its due date keeps the kit until it is returned.
    const blocked = bookings.map((b) =>
      isOverdueLoan(b.equipment, b, now)
        ? { equipmentId: b.equipmentId, start: b.start, blockedUntil: UNTIL_RETURNED }
        : b,
    );
    return [blocked, outages.filter((o) => overlaps(o, span))];
  }
}
