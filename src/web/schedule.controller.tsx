import { Controller, Get, HttpException, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AreasService } from '../areas/areas.service';
import { ScheduleQueryDto } from '../bookings/dto/schedule.dto';
import { ScheduleService } from '../bookings/schedule.service';
import { Public } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { EquipmentService } from '../equipment/equipment.service';
import { messageOf, Pages, readForm } from './pages.service';
import { plusDays } from './views/format';
import { SchedulePage } from './views/schedule';

/** The day grid: every device against the hours of a day, for anyone; staff see who and act. */
@ApiExcludeController()
@Controller('schedule')
export class SchedulePagesController {
  constructor(
    private readonly pages: Pages,
    private readonly schedule: ScheduleService,
    private readonly equipment: EquipmentService,
    private readonly areas: AreasService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  async day(@Req() req: Request, @Res() res: Response, @Query() query: unknown): Promise<void> {
    const ctx = this.pages.context(req, res);
    const zone = this.config.timezone;
    let filters: ScheduleQueryDto;
    try {
      filters = await readForm(ScheduleQueryDto, query);
    } catch (error) {
      if (!(error instanceof HttpException)) throw error;
      filters = {};
      ctx.flash = {
        kind: 'error',
        text: `${messageOf(error)}. Showing today, every category of the lab.`,
      };
    }
    const [areas, categories] = await Promise.all([
      this.areas.list(),
      this.equipment.listCategories(),
    ]);
    // The page shows one area at a time, so the grid's columns are that area's hours.
    const area = areas.find((a) => a.slug === filters.area) ?? areas[0];
    if (filters.area && area.slug !== filters.area)
      ctx.flash = { kind: 'error', text: `There is no area called “${filters.area}”.` };
    const schedule = await this.schedule.day(
      filters.date,
      { category: filters.category, area: area.slug },
      ctx.user,
    );
    this.pages.send(
      res,
      <SchedulePage
        ctx={ctx}
        schedule={schedule}
        categories={categories}
        category={filters.category}
        areas={areas}
        area={area}
        previousDate={plusDays(schedule.date, -1, zone)}
        nextDate={plusDays(schedule.date, 1, zone)}
        graceMinutes={this.config.noShowGraceMinutes}
      />,
    );
  }
}
