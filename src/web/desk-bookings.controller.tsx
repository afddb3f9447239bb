import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import type { User } from '../accounts/user.entity';
import type { BookingWithParties } from '../bookings/booking-notifier';
import { BookingsService } from '../bookings/bookings.service';
import { RescheduleBookingDto } from '../bookings/dto/reschedule-booking.dto';
import { Clock } from '../common/clock';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { houseStyle } from '../common/house-style';
import { isRealDate, localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { EquipmentService } from '../equipment/equipment.service';
import { localInput, toLocalInput } from './desk-form';
import { field, pageId, Pages, readForm } from './pages.service';
import { agendaUrl } from './views/desk-agenda';
import { DeskMovePage, type MoveFields } from './views/desk-move';
import { whenLabel } from './views/format';

/** The longest a move form may ask for: a kit's longest loans are counted in days. */
const MOST_MINUTES = 60 * 24 * 60;

/**
 * The desk moving or canceling a patron's booking from its agenda row, through the same service
 * calls as `PATCH /api/bookings/:id` and `POST /api/bookings/:id/cancel` by staff.
 */
@ApiExcludeController()
@Roles('staff')
@Controller('desk/bookings')
export class DeskBookingsController {
  constructor(
    private readonly pages: Pages,
    private readonly bookings: BookingsService,
    private readonly equipment: EquipmentService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Post(':id/cancel')
  async cancel(
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    const back = agendaUrl(this.agendaDay(body));
    await this.pages.act(res, { success: back, failure: back }, async () => {
      const booking = await this.bookings.cancel(staff, id);
      return `Canceled: ${this.describe(booking)}. ${booking.patron.name} is e-mailed, and the time is free.`;
    });
  }

  /** The move form, filled with the booking as it is, or with what was typed before a refusal. */
  @Get(':id/move')
  async movePage(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @Query() query: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    const ctx = this.pages.context(req, res);
    const booking = await this.bookings.get(staff, id);
    const zone = this.config.timezone;
    const start = DateTime.fromJSDate(booking.start, { zone });
    const typed: MoveFields = {
      start: toLocalInput(start),
      minutes: String(Math.round((booking.end.getTime() - booking.start.getTime()) / 60_000)),
      from: start.toISODate()!,
      to: DateTime.fromJSDate(booking.end, { zone }).minus({ days: 1 }).toISODate()!,
      equipment: booking.equipment.slug,
    };
    for (const name of Object.keys(typed) as (keyof MoveFields)[]) {
      const value = field(query, name);
      if (value !== undefined) typed[name] = value.slice(0, 80);
    }
    const alike = await this.equipment.list({ category: booking.equipment.categorySlug });
    this.pages.send(
      res,
      <DeskMovePage
        ctx={ctx}
        booking={booking}
        devices={alike.filter((d) => d.kind === booking.equipment.kind)}
        typed={typed}
        date={this.agendaDay(query)}
      />,
    );
  }

  /** Moves as `PATCH /api/bookings/:id {start, end, equipment}`; a refusal keeps what was typed. */
  @Post(':id/move')
  async move(
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    const date = this.agendaDay(body);
    const again = new URLSearchParams({ date });
    for (const name of ['start', 'minutes', 'from', 'to', 'equipment']) {
      const value = field(body, name);
      if (value !== undefined) again.set(name, value.slice(0, 80));
    }
    const failure = `/desk/bookings/${id}/move?${again.toString()}`;
    await this.pages.act(res, { success: agendaUrl(date), failure }, async () => {
      const booking = await this.bookings.get(staff, id);
      const dto = await readForm(RescheduleBookingDto, {
        ...this.span(booking, body),
        equipment: field(body, 'equipment'),
      });
      const moved = await this.bookings.reschedule(staff, id, dto);
      return {
        message: `Moved: ${this.describe(moved)}. ${moved.patron.name} is e-mailed the new time.`,
        to: agendaUrl(localDate(moved.start, this.config.timezone)),
      };
    });
  }

  /** A station's new start and length, or a kit's pick-up and return days. */
  private span(booking: BookingWithParties, body: unknown): { start: string; end: string } {
    const zone = this.config.timezone;
    if (booking.equipment.kind === 'loan') {
      const from = field(body, 'from') ?? '';
      const to = field(body, 'to') ?? '';
      if (!isRealDate(from)) throw new BadRequestException('Give the pick-up day as a date.');
      if (!isRealDate(to)) throw new BadRequestException('Give the return day as a date.');
      if (to < from) throw new BadRequestException('The return day is before the pick-up day.');
      const start = DateTime.fromISO(from, { zone }).startOf('day');
      const end = DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf('day');
      return { start: start.toISO()!, end: end.toISO()! };
    }
    const start = localInput(field(body, 'start'), zone, 'new start');
    const minutes = Number(field(body, 'minutes'));
    if (!Number.isInteger(minutes) || minutes <= 0 || minutes > MOST_MINUTES)
      throw new BadRequestException('Give how long the booking lasts, in whole minutes.');
    return { start: start.toISO()!, end: start.plus({ minutes }).toISO()! };
  }

  /** The agenda day a form came from, to go back to; today if it names none. */
  private agendaDay(body: unknown): string {
    const date = field(body, 'date');
    return date && isRealDate(date) ? date : localDate(this.clock.now(), this.config.timezone);
  }

  private describe(booking: BookingWithParties): string {
    const when = whenLabel(booking, houseStyle(this.config), this.clock.now());
    return `${booking.patron.name}, ${booking.equipment.name} ${when} (code ${booking.code})`;
  }
}
