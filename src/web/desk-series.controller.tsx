import { BadRequestException, Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DateTime } from 'luxon';
import type { Request, Response } from 'express';
import type { User } from '../accounts/user.entity';
import { CancelSeriesDto, CreateSeriesDto } from '../bookings/dto/series.dto';
import { SeriesService } from '../bookings/series.service';
import { Clock } from '../common/clock';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { EquipmentService } from '../equipment/equipment.service';
import { floorToStep, localInput, toLocalInput } from './desk-form';
import { field, Pages, readForm, pageId } from './pages.service';
import { houseStyle } from '../common/house-style';
import { DeskSeriesPage } from './views/desk-series';

/** Recurring bookings at the desk: book a series (checked first if staff like), cancel from a date. */
/** The series form's labels for the API's field names. */
const SERIES_WORDS = {
  equipment: 'Station',
  start: 'First booking starts',
  'repeat.every': 'Repeats',
  'repeat.count': 'How many times',
  'repeat.until': 'Last date',
  cardNumber: 'Patron’s card number',
  title: 'Programme name',
};

@ApiExcludeController()
@Roles('staff')
@Controller('desk/series')
export class DeskSeriesController {
  constructor(
    private readonly pages: Pages,
    private readonly series: SeriesService,
    private readonly equipment: EquipmentService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const ctx = this.pages.context(req, res);
    const now = DateTime.fromJSDate(this.clock.now(), { zone: this.config.timezone });
    this.pages.send(
      res,
      <DeskSeriesPage
        ctx={ctx}
        stations={await this.equipment.list({ kind: 'station' })}
        series={await this.series.list()}
        defaults={{
          start: toLocalInput(floorToStep(now.plus({ days: 1 }).set({ hour: 16 }), 30)),
          today: now.toISODate()!,
        }}
      />,
    );
  }

  @Post()
  async create(
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.pages.act(
      res,
      { success: '/desk/series', failure: '/desk/series' },
      async () => {
        const zone = this.config.timezone;
        const style = houseStyle(this.config);
        const now = this.clock.now();
        const start = localInput(field(body, 'start'), zone, 'first booking’s start');
        const minutes = Number(field(body, 'minutes'));
        if (!Number.isInteger(minutes) || minutes <= 0 || minutes > 24 * 60)
          throw new BadRequestException('Pick how long each booking lasts.');
        const count = field(body, 'count')?.trim();
        const until = field(body, 'until')?.trim();
        if (!count && !until)
          throw new BadRequestException('Give how many times, or the last date, or both.');
        const card = field(body, 'cardNumber')?.trim();
        const title = field(body, 'title')?.trim();
        const dto = await readForm(CreateSeriesDto, {
          equipment: field(body, 'equipment'),
          start: start.toISO(),
          end: start.plus({ minutes }).toISO(),
          repeat: {
            every: field(body, 'every'),
            ...(count ? { count: Number(count) } : {}),
            ...(until ? { until } : {}),
          },
          ...(card ? { cardNumber: card } : {}),
          ...(title ? { title } : {}),
          ...(field(body, 'skipConflicts') === 'yes' ? { skipConflicts: true } : {}),
        });
        const check = field(body, 'action') === 'check';
        const outcome = await this.series.create(staff, dto, check);
        const days = (list: { start: Date }[]) =>
          list.map((b) => style.date(b.start, now)).join(', ');
        const clashes = outcome.conflicts.length
          ? ` Not free: ${outcome.conflicts.map((c) => `${style.date(c.start, now)} (${c.message})`).join('; ')}.`
          : '';
        if (check)
          return {
            message: `Checked, nothing booked yet. Free: ${outcome.created.length} dates (${days(outcome.created)}).${clashes}`,
            keepForm: true,
          };
        return `Booked ${outcome.created.length} dates: ${days(outcome.created)}.${clashes}`;
      },
      SERIES_WORDS,
    );
  }

  @Post(':id/cancel')
  async cancel(
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.pages.act(res, { success: '/desk/series', failure: '/desk/series' }, async () => {
      const dto = await readForm(CancelSeriesDto, { from: field(body, 'from') });
      const { bookings } = await this.series.cancel(staff, id, dto);
      const cancelled = bookings.filter((b) => b.status === 'cancelled').length;
      return `Canceled: ${cancelled} of the series’ ${bookings.length} bookings are now canceled.`;
    });
  }
}
