import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AreasService } from '../areas/areas.service';
import { Clock } from '../common/clock';
import { localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import type { Equipment } from '../equipment/equipment.entity';
import type { ManualLink } from '../equipment/equipment.response';
import { EquipmentService } from '../equipment/equipment.service';
import { HoursService, type OpeningDay } from '../hours/hours.service';
import { AvailabilityService, type DayAvailability } from './availability.service';
import type { Viewer } from './availability-viewer';
import { type Booking, type BookingStatus, LIVE_STATUSES } from './booking.entity';
import { BookingsRepository } from './bookings.repository';

/** Bookings that hold their time on the grid: live ones, and those awaiting approval. */
export const SCHEDULED_STATUSES: BookingStatus[] = ['pending', ...LIVE_STATUSES];

export interface ScheduleRow {
  device: Equipment;
  manuals: ManualLink[];
  /** The device's day as the viewer may book it, exactly as its availability answers. */
  day: DayAvailability;
  /** Its bookings that hold time that day, with their patrons, earliest first. */
  bookings: Booking[];
}

export interface ScheduleDay {
  date: string;
  /** The area shown (all devices of every area when none was asked for; then the lab's hours). */
  area: string;
  /** The area's day: its opening hours, or the closure that shuts it. */
  hours: OpeningDay;
  rows: ScheduleRow[];
}

/** The day grid: every device in use with its slots and its bookings on one local day. */
@Injectable()
export class ScheduleService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly availability: AvailabilityService,
    private readonly equipment: EquipmentService,
    private readonly hours: HoursService,
    private readonly areas: AreasService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async day(
    date: string | undefined,
    filters: { category?: string; area?: string },
    viewer: Viewer,
  ): Promise<ScheduleDay> {
    const zone = this.config.timezone;
    const day = date ?? localDate(this.clock.now(), zone);
    const area = (await this.areas.get(filters.area)).slug;
    const devices = await this.equipment.list({ category: filters.category, area: filters.area });
    const ids = devices.map((d) => d.id);
    const [[hours], grids, bookings, manuals] = await Promise.all([
      this.hours.days(day, day, undefined, area),
      this.availability.dayOfDevices(devices, day, { viewer }),
      this.dayBookings(ids, day),
      this.equipment.manualLinks(ids),
    ]);
    return {
      date: day,
      area,
      hours,
      rows: devices.map((device) => ({
        device,
        manuals: manuals.get(device.id) ?? [],
        day: grids.get(device.id)!,
        bookings: bookings.filter((b) => b.equipmentId === device.id),
      })),
    };
  }

  /** One query for every device's bookings that touch the day; a kit not yet back runs on. */
  private dayBookings(deviceIds: string[], date: string): Promise<Booking[]> {
    const start = DateTime.fromISO(date, { zone: this.config.timezone }).startOf('day');
    return this.bookings.onDay(
      deviceIds,
      { start: start.toJSDate(), end: start.plus({ days: 1 }).toJSDate() },
      SCHEDULED_STATUSES,
      this.clock.now(),
    );
  }
}
