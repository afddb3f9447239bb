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
import { ClosureDto, HoursQueryDto, WeeklyHoursDto } from './dto/hours.dto';
import { HoursService, OpeningDay } from './hours.service';
import {
  HoursDayResponse,
  WeeklyIntervalResponse,
  WeeklyChangeResponse,
  ClosureChangeResponse,
} from './hours.response';

@ApiTags('hours')
@Controller('api')
export class HoursController {
  constructor(private readonly hours: HoursService) {}

  /** Opening hours per library-local date, closures included. */
  @Public()
  @Get('hours')
  async days(@Query() query: HoursQueryDto): Promise<HoursDayResponse[]> {
    const days = await this.hours.days(query.from, query.to);
    return days.map((day) => this.toDay(day));
  }

  /** The weekly schedule. */
  @Public()
  @Get('hours/weekly')
  async weekly(): Promise<WeeklyIntervalResponse[]> {
    return (await this.hours.weeklyHours()).map(({ weekday, opens, closes }) => ({
      weekday,
      opens,
      closes,
    }));
  }

  /**
   * Replace the weekly schedule. Bookings the new hours no longer allow are displaced and their
   * patrons told; `?preview=true` only lists them.
   */
  @Roles('librarian')
  @Put('hours/weekly')
  async setWeekly(
    @Body() dto: WeeklyHoursDto,
    @Query() query: PreviewQueryDto,
    @CurrentUser() by: User,
  ): Promise<WeeklyChangeResponse> {
    const { weekly, displaced } = await this.hours.changeWeekly(dto.intervals, by, query.preview);
    return {
      weekly: weekly.map(({ weekday, opens, closes }) => ({ weekday, opens, closes })),
      displaced: displaced.map((b) => toBookingResponse(b, this.hours.zone)),
    };
  }

  /** Every dated closure. */
  @Public()
  @Get('closures')
  async closures(): Promise<ClosureDto[]> {
    return (await this.hours.listClosures()).map(({ date, reason }) => ({ date, reason }));
  }

  /**
   * Close the lab for a whole local date. The bookings on it are displaced and their patrons
   * told; `?preview=true` only lists them.
   */
  @Roles('librarian')
  @Post('closures')
  async addClosure(
    @Body() dto: ClosureDto,
    @Query() query: PreviewQueryDto,
    @CurrentUser() by: User,
  ): Promise<ClosureChangeResponse> {
    const { closure, displaced } = await this.hours.closeOn(
      dto.date,
      dto.reason,
      by,
      query.preview,
    );
    return {
      date: closure.date,
      reason: closure.reason,
      displaced: displaced.map((b) => toBookingResponse(b, this.hours.zone)),
    };
  }

  @Roles('librarian')
  @HttpCode(204)
  @Delete('closures/:date')
  async removeClosure(@Param('date') date: string, @CurrentUser() by: User): Promise<void> {
    if (!isRealDate(date))
      throw new BadRequestException(`date must be a date written YYYY-MM-DD, ${DATE_RANGE_WORDS}`);
    await this.hours.removeClosure(date, by);
  }

  private toDay(day: OpeningDay): HoursDayResponse {
    return {
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
