import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { toBookingResponse } from '../bookings/booking.response';
import { PreviewQueryDto } from '../bookings/dto/preview-query.dto';
import { CurrentUser, Public, Roles } from '../common/decorators/auth.decorators';
import { DATE_RANGE_WORDS, formatInstant, isRealDate } from '../common/time';
import { AreaQueryDto } from '../areas/dto/area-query.dto';
import { AreasService } from '../areas/areas.service';
import { MAIN_AREA } from '../areas/area.entity';
import {
  ClosureQueryDto,
  HoursQueryDto,
  NewClosureDto,
  WeeklyChangeQueryDto,
  WeeklyHoursDto,
} from './dto/hours.dto';
import { type Closure, WHOLE_LIBRARY } from './closure.entity';
import { HoursService, OpeningDay } from './hours.service';
import {
  HoursDayResponse,
  WeeklyIntervalResponse,
  WeeklyChangeResponse,
  ClosureChangeResponse,
  ClosureResponse,
} from './hours.response';

@ApiTags('hours')
@Controller('api')
export class HoursController {
  constructor(
    private readonly hours: HoursService,
    private readonly areas: AreasService,
  ) {}

  /**
   * Opening hours per library-local date, closures included, of one area (`?area=`; without it,
   * the Digital Media Lab's).
   */
  @Public()
  @Get('hours')
  async days(@Query() query: HoursQueryDto): Promise<HoursDayResponse[]> {
    const area = (await this.areas.get(query.area)).slug;
    const days = await this.hours.days(query.from, query.to, undefined, area);
    return days.map((day) => this.toDay(day, area));
  }

  /** The weekly schedule of one area (`?area=`; without it, the Digital Media Lab's). */
  @Public()
  @Get('hours/weekly')
  async weekly(@Query() query: AreaQueryDto): Promise<WeeklyIntervalResponse[]> {
    const area = (await this.areas.get(query.area)).slug;
    return (await this.hours.weeklyHours(area)).map(({ weekday, opens, closes }) => ({
      weekday,
      opens,
      closes,
    }));
  }

  /**
   * Replace an area's weekly schedule (`?area=`; without it, the Digital Media Lab's). Bookings
   * of its devices the new hours no longer allow are displaced and their patrons told;
   * `?preview=true` only lists them.
   */
  @Roles('librarian')
  @Put('hours/weekly')
  async setWeekly(
    @Body() dto: WeeklyHoursDto,
    @Query() query: WeeklyChangeQueryDto,
    @CurrentUser() by: User,
  ): Promise<WeeklyChangeResponse> {
    const { weekly, displaced } = await this.hours.changeWeekly(
      dto.intervals,
      by,
      query.preview,
      query.area ?? MAIN_AREA,
    );
    return {
      weekly: weekly.map(({ weekday, opens, closes }) => ({ weekday, opens, closes })),
      displaced: displaced.map((b) => toBookingResponse(b, this.hours.zone)),
    };
  }

  /** Every dated closure; `?area=` keeps those that close that area (its own and the library's). */
  @Public()
  @Get('closures')
  async closures(@Query() query: ClosureQueryDto): Promise<ClosureResponse[]> {
    const area = query.area === undefined ? undefined : (await this.areas.get(query.area)).slug;
    return (await this.hours.listClosures(undefined, area)).map(toClosure);
  }

  /**
   * Close an area (`area`) or, without one, the whole library for a whole local date. The
   * bookings it closes are displaced and their patrons told; `?preview=true` only lists them.
   */
  @Roles('librarian')
  @Post('closures')
  async addClosure(
    @Body() dto: NewClosureDto,
    @Query() query: PreviewQueryDto,
    @CurrentUser() by: User,
  ): Promise<ClosureChangeResponse> {
    const { closure, displaced } = await this.hours.closeOn(
      dto.date,
      dto.reason,
      by,
      query.preview,
      dto.area,
    );
    return {
      ...toClosure(closure),
      displaced: displaced.map((b) => toBookingResponse(b, this.hours.zone)),
    };
  }

  /** Reopen a date: the whole-library closure, or an area's with `?area=`. */
  @Roles('librarian')
  @HttpCode(204)
  @Delete('closures/:date')
  async removeClosure(
    @Param('date') date: string,
    @Query() query: ClosureQueryDto,
    @CurrentUser() by: User,
  ): Promise<void> {
    if (!isRealDate(date))
      throw new BadRequestException(`date must be a date written YYYY-MM-DD, ${DATE_RANGE_WORDS}`);
    await this.hours.removeClosure(date, by, query.area);
  }

  private toDay(day: OpeningDay, area: string): HoursDayResponse {
    return {
      area,
      date: day.date,
      weekday: day.weekday,
      isOpen: day.open.length > 0,
      hours: day.hours,
      open: day.open.map((i) => ({
        start: formatInstant(i.start, this.hours.zone),
        end: formatInstant(i.end, this.hours.zone),
      })),
      closure: day.closure,
    };
  }
}

function toClosure(closure: Closure): ClosureResponse {
  return {
    date: closure.date,
    reason: closure.reason,
    area: closure.areaSlug === WHOLE_LIBRARY ? null : closure.areaSlug,
  };
}
