import { AreasService } from '../areas/areas.service';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  NotFoundException,
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
import { CreateBookingDto } from '../bookings/dto/create-booking.dto';
import { DeskCheckInDto } from '../bookings/dto/desk.dto';
import { CreateOutageDto } from '../bookings/dto/outage.dto';
import { OutagesService } from '../bookings/outages.service';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { isRealDate, localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { EquipmentService } from '../equipment/equipment.service';
import { effectivePolicy } from '../equipment/policy';
import { toManualSummary } from '../manuals/manual.response';
import { ManualsService } from '../manuals/manuals.service';
import { OutboxService } from '../notifications/outbox.service';
import { formKey, newFormKey } from './booking-form';
import { floorToStep, localInput, readScan, toLocalInput } from './desk-form';
import { field, Pages, readForm, pageId } from './pages.service';
import { OverdueLoansService } from '../loans/overdue-loans.service';
import { DeskMail, DeskPage, type DeskWaiting } from './views/desk';
import type { AgendaRow } from './views/desk-agenda';
import { plusDays, whenLabel } from './views/format';

/** Failed and retried e-mails listed on the desk, each kind. */
const MAIL_SHOWN = 10;
/** Collisions named one by one in the message after an outage; the rest are counted. */
const COLLISIONS_NAMED = 3;

/** The desk forms' labels for the API's field names. */
const WALK_IN_WORDS = { cardNumber: 'Patron’s card number', equipment: 'Station', start: 'Start' };
const OUTAGE_WORDS = { equipment: 'Device', start: 'From', end: 'Until', reason: 'What is wrong' };
const SCAN_WORDS = { cardNumber: 'Card number', code: 'Booking code' };

/**
 * The desk: the day's agenda (today unless `?date=`), check-in by scan or code, walk-ins and
 * taking a device out of use.
 */
@ApiExcludeController()
@Roles('staff')
@Controller('desk')
export class DeskPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly bookings: BookingsService,
    private readonly outages: OutagesService,
    private readonly equipment: EquipmentService,
    private readonly manuals: ManualsService,
    private readonly outbox: OutboxService,
    private readonly overdue: OverdueLoansService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly areas: AreasService,
  ) {}

  /** `?area=` keeps one area's devices, for that area's own desk. */
  @Get()
  async desk(
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() staff: User,
    @Query() query: unknown,
  ): Promise<void> {
    const ctx = this.pages.context(req, res);
    const zone = this.config.timezone;
    const now = DateTime.fromJSDate(this.clock.now(), { zone });
    const today = localDate(this.clock.now(), zone);
    const date = field(query, 'date');
    const asked = date !== undefined && date !== '' ? date : today;
    const day = isRealDate(asked) ? asked : today;
    if (day !== asked)
      ctx.flash = {
        kind: 'error',
        text: 'The day to show must be a date, such as 2026-12-01. Showing today.',
      };
    const published = await this.manuals.listPublished();
    const areas = await this.areas.list();
    const wanted = field(query, 'area');
    const area = areas.find((a) => a.slug === wanted);
    if (wanted !== undefined && !area)
      ctx.flash = {
        kind: 'error',
        text: `There is no area called “${wanted.slice(0, 60)}”. Showing every area.`,
      };
    const agenda = await this.agenda(staff, day, area?.slug);
    this.pages.send(
      res,
      <DeskPage
        ctx={ctx}
        day={{
          date: day,
          today,
          previous: plusDays(day, -1, zone),
          next: plusDays(day, 1, zone),
          area: area?.slug,
        }}
        areas={areas}
        area={area}
        agenda={agenda}
        walkthroughs={await this.equipment.manualLinks(agenda.map((row) => row.device.id))}
        stations={await this.equipment.list({ kind: 'station', area: area?.slug })}
        manuals={published.map(({ manual, revision }) => toManualSummary(manual, revision))}
        defaults={{
          start: toLocalInput(floorToStep(now, 30)),
          outageEnd: toLocalInput(now.plus({ days: 1 }).startOf('day')),
          walkInKey: newFormKey(),
        }}
        graceMinutes={this.config.noShowGraceMinutes}
        mail={await this.mailTrouble()}
        waiting={await this.waiting()}
      />,
      day === asked ? 200 : 400,
    );
  }

  /** Mail the desk should know about: how much waits to go, and what failed or keeps failing. */
  private async mailTrouble(): Promise<DeskMail> {
    const counts = await this.outbox.counts();
    if (counts.pending === 0 && counts.failed === 0) return { ...counts, troubled: [] };
    const [failed, pending] = await Promise.all([
      this.outbox.list('failed', MAIL_SHOWN),
      this.outbox.list('pending', MAIL_SHOWN),
    ]);
    return { ...counts, troubled: [...failed, ...pending.filter((m) => m.attempts > 0)] };
  }

  @Roles('librarian')
  @Post('mail/:id/retry')
  async retryMail(@Res() res: Response, @Param('id', pageId) id: string): Promise<void> {
    await this.pages.act(res, { success: '/desk#mail', failure: '/desk#mail' }, async () => {
      const message = await this.outbox.retry(id);
      return `The e-mail “${message.subject}” will be sent again within a minute.`;
    });
  }

  /** The one field at the top: a scanned card or a code read out, as `POST /api/desk/check-in`. */
  @Post('check-in')
  async scan(
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.pages.act(
      res,
      { success: '/desk', failure: '/desk' },
      async () => {
        const text = field(body, 'scan');
        if (!text) throw new BadRequestException('Scan a card or type a booking code first.');
        const scan = readScan(text);
        let checkedIn: BookingWithParties[];
        try {
          checkedIn = await this.bookings.deskCheckIn(staff, await readForm(DeskCheckInDto, scan));
        } catch (error) {
          // Six digits are a code by shape, but may be a short card number.
          if (!(error instanceof NotFoundException) || !/^\d+$/.test(scan.code ?? '')) throw error;
          const card = await readForm(DeskCheckInDto, { cardNumber: scan.code });
          checkedIn = await this.bookings.deskCheckIn(staff, card);
        }
        return `Checked in: ${checkedIn.map((b) => this.describe(b)).join('; ')}.`;
      },
      SCAN_WORDS,
    );
  }

  @Post('bookings/:id/check-in')
  async checkIn(
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.pages.act(res, { success: '/desk', failure: '/desk' }, async () => {
      const booking = await this.bookings.checkIn(staff, id);
      return `Checked in: ${this.describe(booking)}.`;
    });
  }

  @Post('bookings/:id/complete')
  async complete(
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.pages.act(res, { success: '/desk', failure: '/desk' }, async () => {
      const booking = await this.bookings.complete(staff, id, undefined);
      return `Finished: ${this.describe(booking)}. ${booking.equipment.name} is free.`;
    });
  }

  /** Requests to decide and kits not back, for the top of the desk. */
  private async waiting(): Promise<DeskWaiting> {
    const late = await this.overdue.list(this.clock.now());
    return {
      approvals: await this.bookings.pendingCount(),
      lateKits: late.map((o) => ({
        name: o.loan.equipment.name,
        patron: o.loan.patron.name,
        code: o.loan.code,
      })),
    };
  }

  /** Books a station for a patron at the desk, from the slot under way if it starts now. */
  @Post('walk-in')
  async walkIn(
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.pages.act(
      res,
      { success: '/desk', failure: '/desk' },
      async () => {
        const zone = this.config.timezone;
        const slug = field(body, 'equipment');
        if (!slug) throw new BadRequestException('Pick a station.');
        const device = await this.equipment.get(slug);
        const { slotMinutes } = effectivePolicy(device.category.policy, device.policyOverrides);
        const start = floorToStep(localInput(field(body, 'start'), zone, 'start'), slotMinutes);
        const minutes = Number(field(body, 'minutes'));
        if (!Number.isInteger(minutes) || minutes <= 0 || minutes > 24 * 60)
          throw new BadRequestException('Pick how long the patron needs it.');
        const dto = await readForm(CreateBookingDto, {
          equipment: slug,
          start: start.toISO(),
          end: start.plus({ minutes }).toISO(),
          cardNumber: field(body, 'cardNumber')?.trim(),
        });
        const booking = await this.bookings.create(staff, dto, formKey(body));
        return `Booked ${booking.equipment.name} for ${booking.patron.name}, ${whenLabel(booking, houseStyle(this.config), this.clock.now())}. Code ${booking.code}.`;
      },
      WALK_IN_WORDS,
    );
  }

  @Post('outages')
  async outage(
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.pages.act(
      res,
      { success: '/desk', failure: '/desk' },
      async () => {
        const zone = this.config.timezone;
        const slug = field(body, 'equipment');
        if (!slug) throw new BadRequestException('Pick a device.');
        const dto = await readForm(CreateOutageDto, {
          start: localInput(field(body, 'from'), zone, 'start of the outage').toISO(),
          end: localInput(field(body, 'to'), zone, 'end of the outage').toISO(),
          reason: field(body, 'reason')?.trim(),
        });
        const { outage, collisions } = await this.outages.create(
          slug,
          dto.start,
          dto.end,
          dto.reason,
          staff,
        );
        const device = await this.equipment.get(slug);
        const head = `${device.name} is out of service ${houseStyle(this.config).range(outage.start, outage.end, this.clock.now())}.`;
        if (!collisions.length) return `${head} No bookings are affected.`;
        const named = collisions.slice(0, COLLISIONS_NAMED).map((b) => this.describe(b, true));
        const more = collisions.length - named.length;
        return `${head} It collides with ${collisions.length === 1 ? '1 booking' : `${collisions.length} bookings`}: ${named.join('; ')}${more ? `; and ${more} more` : ''}. Each patron has been e-mailed; move or cancel these bookings.`;
      },
      OUTAGE_WORDS,
    );
  }

  /** Every device (of one area), with the day's bookings (cancelled ones left out) and outages. */
  private async agenda(staff: User, today: string, area?: string): Promise<AgendaRow[]> {
    const zone = this.config.timezone;
    const dayStart = DateTime.fromISO(today, { zone }).startOf('day').toJSDate();
    const dayEnd = DateTime.fromISO(today, { zone }).plus({ days: 1 }).startOf('day').toJSDate();
    const [devices, bookings] = await Promise.all([
      this.equipment.list({ area }),
      this.bookings.list(staff, { from: today, to: today, limit: 1000 }),
    ]);
    const rows: AgendaRow[] = [];
    for (const device of devices) {
      const outages = (await this.outages.list(device.slug)).filter(
        (o) => o.start < dayEnd && o.end > dayStart,
      );
      rows.push({
        device,
        outages,
        bookings: bookings.filter((b) => b.equipmentId === device.id && b.status !== 'cancelled'),
      });
    }
    return rows;
  }

  private describe(booking: BookingWithParties, withDay = false): string {
    const style = houseStyle(this.config);
    const when =
      withDay || booking.equipment.kind === 'loan'
        ? whenLabel(booking, style, this.clock.now())
        : style.timeRange(booking.start, booking.end);
    return `${booking.patron.name}, ${booking.equipment.name} ${when} (code ${booking.code})`;
  }
}
