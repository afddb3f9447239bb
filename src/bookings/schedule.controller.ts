import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Public } from '../common/decorators/auth.decorators';
import { formatInstant } from '../common/time';
import { AppConfig } from '../config/app-config';
import { effectivePolicy } from '../equipment/policy';
import type { Booking } from './booking.entity';
import { ScheduleQueryDto } from './dto/schedule.dto';
import { ScheduleService } from './schedule.service';
import { ScheduleBookingResponse, ScheduleResponse } from './schedule.response';

@ApiTags('availability')
@Controller('api')
export class ScheduleController {
  constructor(
    private readonly schedule: ScheduleService,
    private readonly config: AppConfig,
  ) {}

  /**
   * The day grid: every device in use (or of one category) with its opening hours, its slot grid
   * judged for the viewer, and the bookings that hold its time. Staff see who holds each and its
   * status; anyone else sees only that the time is taken, and which bookings are their own.
   * `area` keeps one area's devices, and its hours and closure are the day's; without it, every
   * device, with the lab's (`dml`) hours at the top and each device's own area's in its row.
   */
  @Public()
  @Get('schedule')
  async day(
    @Query() query: ScheduleQueryDto,
    @CurrentUser() user: User | undefined,
  ): Promise<ScheduleResponse> {
    const viewer = user ?? null;
    const day = await this.schedule.day(
      query.date,
      { category: query.category, area: query.area },
      viewer,
    );
    const zone = this.config.timezone;
    const at = (d: Date) => formatInstant(d, zone);
    const staff = viewer?.role === 'staff' || viewer?.role === 'librarian';
    const booking = (b: Booking): ScheduleBookingResponse => ({
      start: at(b.start),
      end: at(b.end),
      taken: true,
      ...(viewer && b.patronId === viewer.id ? { mine: true as const } : {}),
      ...(staff
        ? {
            id: b.id,
            code: b.code,
            status: b.status,
            patron: { name: b.patron.name, cardNumber: b.patron.cardNumber },
          }
        : {}),
    });
    return {
      date: day.date,
      area: day.area,
      timezone: zone,
      open: day.hours.open.map((o) => ({ start: at(o.start), end: at(o.end) })),
      closure: day.hours.closure,
      devices: day.rows.map(({ device, manuals, day: grid, bookings }) => ({
        slug: device.slug,
        name: device.name,
        category: device.categorySlug,
        area: device.areaSlug,
        kind: device.kind,
        status: device.status,
        location: device.location,
        slotMinutes: effectivePolicy(device.category.policy, device.policyOverrides).slotMinutes,
        minMinutes: effectivePolicy(device.category.policy, device.policyOverrides).minMinutes,
        manuals,
        open: grid.open.map((o) => ({ start: at(o.start), end: at(o.end) })),
        slots: grid.slots.map((s) => ({
          start: at(s.start),
          end: at(s.end),
          available: s.available,
          ...(s.reason ? { reason: s.reason } : {}),
        })),
        bookable: grid.bookable,
        ...(grid.reason ? { reason: grid.reason } : {}),
        bookings: bookings.map(booking),
      })),
    };
  }
}
