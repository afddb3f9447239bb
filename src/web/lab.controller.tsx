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
import { AvailabilityService, type ViewerOption } from '../bookings/availability.service';
import { BookingsService } from '../bookings/bookings.service';
import { WaitlistService } from '../bookings/waitlist.service';
import { CertificationsService } from '../certifications/certifications.service';
import { CurrentUser, Public } from '../common/decorators/auth.decorators';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { isRealDate, localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { CreateBookingDto } from '../bookings/dto/create-booking.dto';
import type { Equipment } from '../equipment/equipment.entity';
import { EquipmentQueryDto } from '../equipment/dto/equipment-query.dto';
import { type EquipmentResponse, toEquipmentResponses } from '../equipment/equipment.response';
import { EquipmentService } from '../equipment/equipment.service';
import { effectivePolicy } from '../equipment/policy';
import { backTo, formKey, newFormKey, requestedSpan } from './booking-form';
import { answersFrom } from './views/booking-questions';
import { field, Pages, readForm } from './pages.service';
import { DevicePage, LoanDay } from './views/device';
import { whenLabel } from './views/format';
import { LabPage } from './views/lab';

const LOAN_DAYS_SHOWN = 14;

/** The public face of the lab: the equipment list, a device and its free times, booking it. */
@ApiExcludeController()
@Controller()
export class LabController {
  constructor(
    private readonly pages: Pages,
    private readonly equipment: EquipmentService,
    private readonly availability: AvailabilityService,
    private readonly bookings: BookingsService,
    private readonly waitlist: WaitlistService,
    private readonly certifications: CertificationsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  async lab(@Req() req: Request, @Res() res: Response, @Query() query: unknown): Promise<void> {
    const ctx = this.pages.context(req, res);
    let filters: EquipmentQueryDto;
    try {
      filters = await readForm(EquipmentQueryDto, query);
    } catch {
      filters = {};
      ctx.flash = { kind: 'error', text: 'That filter is not valid; showing everything.' };
    }
    const [devices, categories] = await Promise.all([
      this.equipment.list(filters),
      this.equipment.listCategories(),
    ]);
    this.pages.send(
      res,
      <LabPage
        ctx={ctx}
        devices={await this.responses(devices)}
        categories={categories}
        filters={filters}
      />,
    );
  }

  @Public()
  @Get('equipment/:slug')
  async device(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
    @Query('date') requested: unknown,
  ): Promise<void> {
    const ctx = this.pages.context(req, res);
    const entity = await this.equipment.get(slug);
    const [device] = await this.responses([entity]);
    const today = localDate(this.clock.now(), this.config.timezone);
    let date = today;
    if (typeof requested === 'string' && requested) {
      if (isRealDate(requested)) date = requested;
      else ctx.flash = { kind: 'error', text: 'That is not a date; showing today.' };
    }
    const shift = (days: number) =>
      DateTime.fromISO(date, { zone: this.config.timezone }).plus({ days }).toISODate()!;
    // The times this visitor could book: a patron's own rules, or anyone's when not signed in.
    const as = { viewer: ctx.user };
    const day = device.kind === 'station' ? await this.availability.day(slug, date, as) : null;
    const loanDays = device.kind === 'loan' ? await this.loanDays(slug, date, as) : [];
    const slots = day?.slots ?? [];
    const ownTimes =
      ctx.user?.role === 'patron' && slots.length
        ? await this.waitlist.heldBy(ctx.user, entity.id, {
            start: slots[0].start,
            end: slots[slots.length - 1].end,
          })
        : [];
    this.pages.send(
      res,
      <DevicePage
        ctx={ctx}
        device={device}
        date={date}
        previousDate={date > today ? shift(-1) : null}
        nextDate={shift(1)}
        slots={slots}
        dayReason={day?.reason ?? null}
        loanDays={loanDays}
        needsOrientation={await this.needsOrientation(ctx.user, entity)}
        ownTimes={ownTimes}
        formKey={newFormKey()}
      />,
    );
  }

  /** Books the chosen time (a station) or days (a kit) for the signed-in patron. */
  @Post('equipment/:slug/book')
  async book(
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: unknown,
    @CurrentUser() user: User,
  ): Promise<void> {
    const back = backTo(`/equipment/${encodeURIComponent(slug)}`, body);
    await this.pages.act(res, { success: '/my/bookings', failure: back }, async () => {
      const device = await this.equipment.get(slug);
      const { start, end } = requestedSpan(device.kind, body, this.config.timezone);
      const dto = await readForm(CreateBookingDto, {
        equipment: slug,
        start,
        end,
        ...answersFrom(body),
      });
      const booking = await this.bookings.create(user, dto, formKey(body));
      return `${booking.equipment.name} is yours: ${whenLabel(booking, houseStyle(this.config), this.clock.now())}. Your booking code is ${booking.code}.`;
    });
  }

  @Post('equipment/:slug/waitlist')
  async joinWaitlist(
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: unknown,
    @CurrentUser() user: User,
  ): Promise<void> {
    const back = backTo(`/equipment/${encodeURIComponent(slug)}`, body);
    await this.pages.act(res, { success: '/my/bookings', failure: back }, async () => {
      const device = await this.equipment.get(slug);
      const start = field(body, 'start') ?? '';
      const startAt = DateTime.fromISO(start);
      if (!startAt.isValid) throw new BadRequestException('Pick a taken time from the list.');
      // Any length the device allows can be waited for; without a choice, its shortest booking.
      const { minMinutes } = effectivePolicy(device.category.policy, device.policyOverrides);
      const { end } = requestedSpan(
        device.kind,
        { start, minutes: field(body, 'minutes') ?? String(minMinutes) },
        this.config.timezone,
      );
      const dto = await readForm(CreateBookingDto, { equipment: slug, start, end });
      const entry = await this.waitlist.join(user, dto);
      return `You are on the waiting list for ${device.name}: ${whenLabel({ ...entry, equipment: device }, houseStyle(this.config), this.clock.now())}. If it frees up, it is booked for you and you get an e-mail.`;
    });
  }

  private async loanDays(slug: string, from: string, as: ViewerOption): Promise<LoanDay[]> {
    const to = DateTime.fromISO(from, { zone: this.config.timezone })
      .plus({ days: LOAN_DAYS_SHOWN - 1 })
      .toISODate()!;
    return (await this.availability.days(slug, from, to, as)).map(
      ({ date, slots, bookable, reason }) => ({
        date,
        open: slots.length > 0,
        free: bookable,
        reason: reason ?? slots.find((s) => s.reason)?.reason ?? null,
      }),
    );
  }

  private async needsOrientation(user: User | null, device: Equipment): Promise<boolean> {
    if (user?.role !== 'patron') return false;
    if (!device.requiresOrientation) return false;
    return !(await this.certifications.isCertified(user.id, device.id, this.clock.now()));
  }

  private responses(devices: Equipment[]): Promise<EquipmentResponse[]> {
    return toEquipmentResponses(this.equipment, devices, this.config.timezone);
  }
}
