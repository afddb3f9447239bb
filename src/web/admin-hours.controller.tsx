import { BadRequestException, Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { isRealDate, localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { ClosureDto, WeeklyHoursDto } from '../hours/dto/hours.dto';
import { HoursService } from '../hours/hours.service';
import { field, Pages, readForm } from './pages.service';
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

@ApiExcludeController()
@Roles('librarian')
@Controller('admin/hours')
export class AdminHoursController {
  constructor(
    private readonly pages: Pages,
    private readonly hours: HoursService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const today = localDate(this.clock.now(), this.config.timezone);
    const [weekly, closures] = await Promise.all([
      this.hours.weeklyHours(),
      this.hours.listClosures(today),
    ]);
    this.pages.send(
      res,
      <HoursAdminPage
        ctx={this.pages.context(req, res)}
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
    await this.pages.act(
      res,
      { success: '/admin/hours', failure: '/admin/hours' },
      async () => {
        const dto = await readForm(WeeklyHoursDto, { intervals: weeklyIntervals(body) });
        await this.hours.setWeekly(dto.intervals, librarian);
        return 'The weekly hours are saved.';
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
    await this.pages.act(
      res,
      { success: '/admin/hours', failure: '/admin/hours' },
      async () => {
        const dto = await readForm(ClosureDto, body);
        await this.hours.addClosure(dto.date, dto.reason, librarian);
        return `The lab is closed on ${houseStyle(this.config).longDate(dto.date)}.`;
      },
      CLOSURE_WORDS,
    );
  }

  @Post('closures/:date/remove')
  async removeClosure(
    @Res() res: Response,
    @Param('date') date: string,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    await this.pages.act(res, { success: '/admin/hours', failure: '/admin/hours' }, async () => {
      if (!isRealDate(date)) throw new BadRequestException('That is not a date.');
      await this.hours.removeClosure(date, librarian);
      return `The lab opens as usual on ${houseStyle(this.config).longDate(date)}.`;
    });
  }
}
