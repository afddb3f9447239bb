import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DateTime } from 'luxon';
import { AccountsService } from '../accounts/accounts.service';
import type { User } from '../accounts/user.entity';
import { AvailabilityService } from '../bookings/availability.service';
import { LIVE_STATUSES } from '../bookings/booking-status';
import { BookingsService } from '../bookings/bookings.service';
import { RescheduleBookingDto } from '../bookings/dto/reschedule-booking.dto';
import { WaitlistService } from '../bookings/waitlist.service';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { isRealDate, localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { effectivePolicy } from '../equipment/policy';
import { backTo, requestedSpan } from './booking-form';
import { Pages, readForm, pageId } from './pages.service';
import { whenLabel } from './views/format';
import { CancelPage, MyBookingsPage, ReschedulePage } from './views/my-bookings';

/** A patron's own bookings: see them, move them, cancel them, put them in a calendar. */
@ApiExcludeController()
@Roles('patron')
@Controller('my')
export class MyBookingsController {
  constructor(
    private readonly pages: Pages,
    private readonly bookings: BookingsService,
    private readonly availability: AvailabilityService,
    private readonly waitlist: WaitlistService,
    private readonly accounts: AccountsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Get('bookings')
  async list(@Req() req: Request, @Res() res: Response, @CurrentUser() user: User): Promise<void> {
    const ctx = this.pages.context(req, res);
    const now = this.clock.now();
    const all = await this.bookings.list(user, { limit: 1000 });
    const upcoming = all
      .filter((b) => LIVE_STATUSES.includes(b.status) && b.end >= now)
      .sort((a, b) => a.start.getTime() - b.start.getTime());
    const past = all
      .filter((b) => !upcoming.includes(b))
      .sort((a, b) => b.start.getTime() - a.start.getTime());
    const waiting = (await this.waitlist.list(user)).filter((w) => w.status === 'waiting');
    const token = await this.accounts.calendarToken(user);
    this.pages.send(
      res,
      <MyBookingsPage
        ctx={ctx}
        upcoming={upcoming}
        past={past}
        waiting={waiting}
        feedUrl={`${this.config.publicUrl}/api/calendar/${token}.ics`}
      />,
    );
  }

  /** The confirm step before a cancellation; it is a page, so it works without JavaScript. */
  @Get('bookings/:id/cancel')
  async cancelPage(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @CurrentUser() user: User,
  ): Promise<void> {
    const ctx = this.pages.context(req, res);
    const booking = await this.bookings.get(user, id);
    this.pages.send(res, <CancelPage ctx={ctx} booking={booking} />);
  }

  @Post('bookings/:id/cancel')
  async cancel(
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @CurrentUser() user: User,
  ): Promise<void> {
    await this.pages.act(res, { success: '/my/bookings', failure: '/my/bookings' }, async () => {
      const booking = await this.bookings.cancel(user, id);
      return `Canceled ${booking.equipment.name}, ${whenLabel(booking, houseStyle(this.config), this.clock.now())}. The time is free for others now.`;
    });
  }

  @Get('bookings/:id/reschedule')
  async reschedulePage(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @Query('date') requested: unknown,
    @CurrentUser() user: User,
  ): Promise<void> {
    const ctx = this.pages.context(req, res);
    const booking = await this.bookings.get(user, id);
    const zone = this.config.timezone;
    const today = localDate(this.clock.now(), zone);
    const date =
      typeof requested === 'string' && isRealDate(requested)
        ? requested
        : localDate(booking.start, zone) < today
          ? today
          : localDate(booking.start, zone);
    const shift = (days: number) => DateTime.fromISO(date, { zone }).plus({ days }).toISODate()!;
    const slots =
      booking.equipment.kind === 'station'
        ? (await this.availability.day(booking.equipment.slug, date)).slots
        : [];
    this.pages.send(
      res,
      <ReschedulePage
        ctx={ctx}
        booking={booking}
        date={date}
        previousDate={date > today ? shift(-1) : null}
        nextDate={shift(1)}
        slots={slots}
        policy={effectivePolicy(
          booking.equipment.category.policy,
          booking.equipment.policyOverrides,
        )}
      />,
    );
  }

  @Post('bookings/:id/reschedule')
  async reschedule(
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @Body() body: unknown,
    @CurrentUser() user: User,
  ): Promise<void> {
    const back = backTo(`/my/bookings/${id}/reschedule`, body);
    await this.pages.act(res, { success: '/my/bookings', failure: back }, async () => {
      const booking = await this.bookings.get(user, id);
      const span = requestedSpan(booking.equipment.kind, body, this.config.timezone);
      const moved = await this.bookings.reschedule(
        user,
        id,
        await readForm(RescheduleBookingDto, span),
      );
      return `${moved.equipment.name} moved to ${whenLabel(moved, houseStyle(this.config), this.clock.now())}. Your code is still ${moved.code}.`;
    });
  }

  @Post('waitlist/:id/leave')
  async leaveWaitlist(
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @CurrentUser() user: User,
  ): Promise<void> {
    await this.pages.act(res, { success: '/my/bookings', failure: '/my/bookings' }, async () => {
      await this.waitlist.leave(user, id);
      return 'You have left the waiting list.';
    });
  }
}
