import {
  BadRequestException,
  Body,
  Controller,
  Get,
  HttpException,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { isRealDate, localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import type { Area } from '../areas/area.entity';
import { AreasService } from '../areas/areas.service';
import { AreaQueryDto } from '../areas/dto/area-query.dto';
import { NewClosureDto, WeeklyHoursDto } from '../hours/dto/hours.dto';
import { HoursService } from '../hours/hours.service';
import { field, messageOf, Pages, readForm } from './pages.service';
import type { Glossary } from './plain-words';
import { HoursAdminPage, STRETCHES, WEEKDAYS } from './views/admin-hours';

/** The week's form as the API's interval list; a stretch needs both its times or neither. */
export function weeklyIntervals(
  body: unknown,
): { weekday: number; opens: string; closes: string }[] {
  const intervals: { weekday: number; opens: string; closes: string }[] = [];
  WEEKDAYS.forEach((name, index) => {
    const weekday = index + 1;
    for (let s = 0; s < STRETCHES; s++) {
      const opens = field(body, `d${weekday}-${s}-opens`);
      const closes = field(body, `d${weekday}-${s}-closes`);
      if (!opens && !closes) continue;
      if (!opens || !closes)
        throw new BadRequestException(`${name}: give both the opening and the closing time.`);
      intervals.push({ weekday, opens: opens.slice(0, 5), closes: closes.slice(0, 5) });
    }
  });
  return intervals;
}

/**
 * The week form's words for the API's interval paths: interval `n` is the n-th stretch filled in,
 * in the order `weeklyIntervals` reads them, named by its weekday row.
 */
export function weeklyWords(body: unknown): Glossary {
  const words: Glossary = {};
  WEEKDAYS.forEach((name, index) => {
    const weekday = index + 1;
    words[`intervals overlap on weekday ${weekday}`] = `The opening times on ${name} overlap`;
  });
  let n = 0;
  WEEKDAYS.forEach((name, index) => {
    for (let s = 0; s < STRETCHES; s++) {
      if (!field(body, `d${index + 1}-${s}-opens`) && !field(body, `d${index + 1}-${s}-closes`))
        continue;
      const row = s ? `${name}, second opening` : name;
      words[`intervals.${n}.closes must be later than opens`] =
        `Closing time on ${row} must be later than its opening time`;
      words[`intervals.${n}.opens`] = `Opening time on ${row}`;
      words[`intervals.${n}.closes`] = `Closing time on ${row}`;
      n++;
    }
  });
  return words;
}

const CLOSURE_WORDS: Glossary = { date: 'Date', reason: 'Why' };

/** This page for one area. */
const pageOf = (area: string) => `/admin/hours?area=${encodeURIComponent(area)}`;

@ApiExcludeController()
@Roles('librarian')
@Controller('admin/hours')
export class AdminHoursController {
  constructor(
    private readonly pages: Pages,
    private readonly hours: HoursService,
    private readonly areas: AreasService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** The area a form or query names, or the lab's when it names none. */
  private async area(value: unknown): Promise<Area> {
    const { area } = await readForm(AreaQueryDto, { area: value });
    return this.areas.get(area);
  }

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @Query() query: unknown): Promise<void> {
    const ctx = this.pages.context(req, res);
    const today = localDate(this.clock.now(), this.config.timezone);
    const areas = await this.areas.list();
    let area = areas[0];
    try {
      area = await this.area(field(query, 'area'));
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      ctx.flash = { kind: 'error', text: `${messageOf(error)}. Showing the ${area.name}.` };
    }
    const [weekly, closures] = await Promise.all([
      this.hours.weeklyHours(area.slug),
      this.hours.listClosures(today, area.slug),
    ]);
    this.pages.send(
      res,
      <HoursAdminPage
        ctx={ctx}
        areas={areas}
        area={area}
        weekly={weekly}
        closures={closures}
        today={today}
      />,
    );
  }

  @Post('weekly')
  async setWeekly(
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const back = pageOf(field(body, 'area') ?? '');
    await this.pages.act(
      res,
      { success: back, failure: back },
      async () => {
        const area = await this.area(field(body, 'area'));
        const dto = await readForm(WeeklyHoursDto, { intervals: weeklyIntervals(body) });
        await this.hours.setWeekly(dto.intervals, librarian, area.slug);
        return `The ${area.name}’s weekly hours are saved.`;
      },
      weeklyWords(body),
    );
  }

  @Post('closures')
  async addClosure(
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const back = pageOf(field(body, 'showing') ?? '');
    await this.pages.act(
      res,
      { success: back, failure: back },
      async () => {
        const { showing: _showing, ...closure } = (body ?? {}) as Record<string, unknown>;
        const dto = await readForm(NewClosureDto, closure);
        await this.hours.addClosure(dto.date, dto.reason, librarian, dto.area);
        const what = dto.area
          ? `The ${(await this.areas.get(dto.area)).name}`
          : 'The whole library';
        return `${what} is closed on ${houseStyle(this.config).longDate(dto.date)}.`;
      },
      CLOSURE_WORDS,
    );
  }

  @Post('closures/:date/remove')
  async removeClosure(
    @Res() res: Response,
    @Param('date') date: string,
    @Body() body: unknown,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const back = pageOf(field(body, 'showing') ?? '');
    await this.pages.act(res, { success: back, failure: back }, async () => {
      if (!isRealDate(date)) throw new BadRequestException('That is not a date.');
      const area = field(body, 'area') === undefined ? null : await this.area(field(body, 'area'));
      await this.hours.removeClosure(date, librarian, area?.slug);
      const what = area ? `The ${area.name}` : 'The library';
      return `${what} opens as usual on ${houseStyle(this.config).longDate(date)}.`;
    });
  }
}
