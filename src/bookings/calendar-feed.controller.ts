import { Controller, Get, HttpCode, NotFoundException, Param, Post, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AccountsService } from '../accounts/accounts.service';
import type { User } from '../accounts/user.entity';
import { Clock } from '../common/clock';
import { CurrentUser, Public, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { feedCalendar } from '../notifications/ical';
import { toNotice } from './booking-notifier';
import { BookingsService } from './bookings.service';
import { CalendarFeedResponse } from './calendar-feed.response';
import { ApiFileResponse } from '../common/openapi';

const FEED_HISTORY_DAYS = 30;

@ApiTags('bookings')
@Controller('api')
export class CalendarFeedController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly bookings: BookingsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** The patron's secret calendar feed address. */
  @Roles('patron')
  @Get('me/calendar-feed')
  async feedUrl(@CurrentUser() patron: User): Promise<CalendarFeedResponse> {
    return { url: this.urlOf(await this.accounts.calendarToken(patron)) };
  }

  /** A new feed address; the old one stops working. */
  @Roles('patron')
  @HttpCode(200)
  @Post('me/calendar-feed')
  async renewFeedUrl(@CurrentUser() patron: User): Promise<CalendarFeedResponse> {
    return { url: this.urlOf(await this.accounts.calendarToken(patron, true)) };
  }

  /** A patron's bookings as a subscribable iCalendar feed; the secret in the address is the key. */
  @Public()
  @ApiFileResponse('text/calendar')
  @Get('calendar/:feedToken.ics')
  async feed(@Param('feedToken') token: string, @Res() response: Response): Promise<void> {
    const patron = /^[A-Za-z0-9_-]{20,100}$/.test(token)
      ? await this.accounts.findByCalendarToken(token)
      : null;
    if (!patron) throw new NotFoundException('There is no calendar at this address.');
    const now = this.clock.now();
    const from = new Date(now.getTime() - FEED_HISTORY_DAYS * 86_400_000).toISOString();
    const bookings = await this.bookings.list(patron, { from, limit: 1000 });
    const body = feedCalendar(
      bookings.map((b) => toNotice(b, [])),
      this.config,
      `${patron.name} — Digital Media Lab`,
      now,
    );
    response
      .status(200)
      .type('text/calendar; charset=utf-8')
      .setHeader('Cache-Control', 'private, max-age=300')
      .send(body);
  }

  private urlOf(token: string): string {
    return `${this.config.publicUrl}/api/calendar/${token}.ics`;
  }
}
