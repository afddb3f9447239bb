import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiExtraModels, ApiTags } from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { formatInstant } from '../common/time';
import { AppConfig } from '../config/app-config';
import { type BookingWithParties } from './booking-notifier';
import { BookingResponse, toBookingResponse } from './booking.response';
import { PlannedBooking, SeriesCreatedResponse, SeriesResponse } from './series.response';
import { CancelSeriesDto, CreateSeriesDto, SeriesQueryDto } from './dto/series.dto';
import type { Interval } from './rules';
import type { BookingSeries } from './series.entity';
import { SeriesService } from './series.service';

const uuid = new ParseUUIDPipe({ version: '4' });

/** Recurring bookings by staff: a patron's weekly slot, a club, a class. */
@ApiTags('series')
@ApiExtraModels(BookingResponse, PlannedBooking)
@Roles('staff')
@Controller('api/series')
export class SeriesController {
  constructor(
    private readonly series: SeriesService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Books every occurrence, or none when one clashes (unless `skipConflicts`); `?dryRun=true`
   * lists what would be booked and what clashes without booking anything.
   */
  @ApiConflictResponse({
    description: '`SERIES_CONFLICTS`: some occurrences cannot be booked; `conflicts` lists them.',
  })
  @Post()
  async create(
    @CurrentUser() staff: User,
    @Body() dto: CreateSeriesDto,
    @Query() query: SeriesQueryDto,
  ): Promise<SeriesCreatedResponse> {
    const outcome = await this.series.create(staff, dto, query.dryRun === true);
    return {
      id: outcome.series?.id ?? null,
      created: outcome.created.map((b) => ('code' in b ? this.booking(b) : this.planned(b))),
      conflicts: outcome.conflicts.map((c) => this.series.conflictResponse(c)),
    };
  }

  @Get(':id')
  async get(@Param('id', uuid) id: string): Promise<SeriesResponse> {
    return this.respond(await this.series.get(id));
  }

  /** Cancels the occurrences on and after `from` (a local date; from now when left out). */
  @HttpCode(200)
  @Post(':id/cancel')
  async cancel(
    @CurrentUser() staff: User,
    @Param('id', uuid) id: string,
    @Body() dto: CancelSeriesDto,
  ): Promise<SeriesResponse> {
    return this.respond(await this.series.cancel(staff, id, dto));
  }

  private respond({
    series,
    bookings,
  }: {
    series: BookingSeries;
    bookings: BookingWithParties[];
  }): SeriesResponse {
    return {
      id: series.id,
      equipment: series.equipment.slug,
      title: series.title,
      repeat: { every: series.every, count: series.count, until: series.until },
      bookings: bookings.map((b) => this.booking(b)),
    };
  }

  private booking(b: BookingWithParties): BookingResponse {
    return toBookingResponse(b, this.config.timezone);
  }

  private planned(b: Interval): PlannedBooking {
    return {
      start: formatInstant(b.start, this.config.timezone),
      end: formatInstant(b.end, this.config.timezone),
    };
  }
}
