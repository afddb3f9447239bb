import {
  BadRequestException,
  Controller,
  Get,
  HttpException,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Clock } from '../common/clock';
import { Roles } from '../common/decorators/auth.decorators';
import { localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { UsageQueryDto } from '../reports/dto/usage-query.dto';
import { ReportsService } from '../reports/reports.service';
import { messageOf, Pages, readForm } from './pages.service';
import { plusDays } from './views/format';
import { ReportsPage } from './views/reports';

/** Days in the period shown when none is asked for, today included. */
const DEFAULT_DAYS = 30;

/** Usage figures for staff: the same report as `GET /api/reports/usage`, as tables and bars. */
@ApiExcludeController()
@Roles('staff')
@Controller('reports')
export class ReportsPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly reports: ReportsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async usage(
    @Req() req: Request,
    @Res() res: Response,
    @Query('from') from: unknown,
    @Query('to') to: unknown,
  ): Promise<void> {
    const ctx = this.pages.context(req, res);
    const today = localDate(this.clock.now(), this.config.timezone);
    const fallback = { from: plusDays(today, 1 - DEFAULT_DAYS, this.config.timezone), to: today };
    const asked = from === undefined && to === undefined ? fallback : { from, to };
    let report;
    try {
      const period = await readForm(UsageQueryDto, asked);
      if (period.from > period.to) throw new BadRequestException('The first day is after the last');
      report = await this.reports.usage(period.from, period.to);
    } catch (error) {
      if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
      ctx.flash = {
        kind: 'error',
        text: `${messageOf(error)}. Showing the last ${DEFAULT_DAYS} days instead.`,
      };
      report = await this.reports.usage(fallback.from, fallback.to);
    }
    this.pages.send(res, <ReportsPage ctx={ctx} report={report} />);
  }
}
