import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiHeader,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { User } from '../accounts/user.entity';
import { Clock } from '../common/clock';
import {
  ConfirmsSession,
  CurrentUser,
  Roles,
  SessionToConfirm,
} from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { feedCalendar } from '../notifications/ical';
import { toNotice } from './booking-notifier';
import { BookingResponse, toBookingResponse } from './booking.response';
import { BookingsService } from './bookings.service';
import { BookingQueryDto } from './dto/booking-query.dto';
import { CreateBookingDto } from './dto/create-booking.dto';
import { CompleteBookingDto, DenyBookingDto } from './dto/desk.dto';
import { RescheduleBookingDto } from './dto/reschedule-booking.dto';
import { IdempotencyKey } from './idempotency-key.decorator';
import { ApiFileResponse } from '../common/openapi';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('bookings')
@Controller('api/bookings')
export class BookingsController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Book a station or kit: a patron for themself, staff for a patron by card number. */
  @Roles('patron', 'staff')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retrying with the same key returns the first result and books once.',
  })
  @ApiConflictResponse({ description: '`SLOT_TAKEN`: the time is booked.' })
  @ApiUnprocessableEntityResponse({ description: 'A booking rule refuses it; `code` says which.' })
  @ConfirmsSession()
  @Post()
  async create(
    @CurrentUser() actor: User,
    @Body() dto: CreateBookingDto,
    @IdempotencyKey() idempotencyKey?: string,
    @SessionToConfirm() sessionToConfirm?: string,
  ): Promise<BookingResponse> {
    return this.respond(await this.bookings.create(actor, dto, idempotencyKey, sessionToConfirm));
  }

  /** Patrons see their own bookings; staff see everyone's. */
  @Roles('patron', 'staff')
  @Get()
  async list(
    @CurrentUser() actor: User,
    @Query() query: BookingQueryDto,
  ): Promise<BookingResponse[]> {
    return (await this.bookings.list(actor, query)).map((b) => this.respond(b));
  }

  @Roles('patron', 'staff')
  @Get(':id')
  async get(@CurrentUser() actor: User, @Param('id', uuid) id: string): Promise<BookingResponse> {
    return this.respond(await this.bookings.get(actor, id));
  }

  /** Move a booking; the same rules apply as to a new one. */
  @Roles('patron', 'staff')
  @Patch(':id')
  async reschedule(
    @CurrentUser() actor: User,
    @Param('id', uuid) id: string,
    @Body() dto: RescheduleBookingDto,
  ): Promise<BookingResponse> {
    return this.respond(await this.bookings.reschedule(actor, id, dto));
  }

  /** Cancel; the time is free for others at once. */
  @Roles('patron', 'staff')
  @HttpCode(200)
  @Post(':id/cancel')
  async cancel(
    @CurrentUser() actor: User,
    @Param('id', uuid) id: string,
  ): Promise<BookingResponse> {
    return this.respond(await this.bookings.cancel(actor, id));
  }

  @Roles('staff')
  @HttpCode(200)
  @Post(':id/check-in')
  async checkIn(
    @CurrentUser() staff: User,
    @Param('id', uuid) id: string,
  ): Promise<BookingResponse> {
    return this.respond(await this.bookings.checkIn(staff, id));
  }

  /** Finish a session or take a kit back, with notes. */
  @Roles('staff')
  @HttpCode(200)
  @Post(':id/complete')
  async complete(
    @CurrentUser() staff: User,
    @Param('id', uuid) id: string,
    @Body() dto: CompleteBookingDto,
  ): Promise<BookingResponse> {
    return this.respond(await this.bookings.complete(staff, id, dto.notes));
  }

  /** Approve a `pending` booking: it is confirmed and the patron e-mailed. */
  @Roles('staff')
  @HttpCode(200)
  @ApiConflictResponse({ description: '`WRONG_STATUS`: the booking is not waiting for approval.' })
  @Post(':id/approve')
  async approve(
    @CurrentUser() staff: User,
    @Param('id', uuid) id: string,
  ): Promise<BookingResponse> {
    return this.respond(await this.bookings.approve(staff, id));
  }

  /** Deny a `pending` booking with a reason for the patron: the time is freed. */
  @Roles('staff')
  @HttpCode(200)
  @ApiConflictResponse({ description: '`WRONG_STATUS`: the booking is not waiting for approval.' })
  @Post(':id/deny')
  async deny(
    @CurrentUser() staff: User,
    @Param('id', uuid) id: string,
    @Body() dto: DenyBookingDto,
  ): Promise<BookingResponse> {
    return this.respond(await this.bookings.deny(staff, id, dto.reason));
  }

  /** The booking as an iCalendar event (RFC 5545). */
  @Roles('patron', 'staff')
  @ApiFileResponse('text/calendar')
  @Get(':id/calendar.ics')
  async calendar(
    @CurrentUser() actor: User,
    @Param('id', uuid) id: string,
    @Res() response: Response,
  ): Promise<void> {
    const booking = await this.bookings.get(actor, id);
    const body = feedCalendar(
      [toNotice(booking, [])],
      this.config,
      `${booking.equipment.name} booking`,
      this.clock.now(),
    );
    response
      .status(200)
      .type('text/calendar; charset=utf-8')
      .setHeader('Content-Disposition', `attachment; filename="dml-${booking.code}.ics"`)
      .send(body);
  }

  private respond(booking: Parameters<typeof toBookingResponse>[0]): BookingResponse {
    return toBookingResponse(booking, this.config.timezone);
  }
}
