import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { toBookingResponse } from './booking.response';
import { BookingsService } from './bookings.service';
import { DeskCheckInDto } from './dto/desk.dto';
import { DeskCheckInResponse } from './desk.response';

@ApiTags('desk')
@Controller('api/desk')
export class DeskController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly config: AppConfig,
  ) {}

  /** Check in by the booking code a patron reads out, or every booking due now on a scanned card. */
  @Roles('staff')
  @HttpCode(200)
  @Post('check-in')
  async checkIn(
    @CurrentUser() staff: User,
    @Body() dto: DeskCheckInDto,
  ): Promise<DeskCheckInResponse> {
    const checkedIn = await this.bookings.deskCheckIn(staff, dto);
    return { checkedIn: checkedIn.map((b) => toBookingResponse(b, this.config.timezone)) };
  }
}
