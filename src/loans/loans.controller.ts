import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { toBookingResponse } from '../bookings/booking.response';
import { Clock } from '../common/clock';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { CheckOutLoanDto } from './dto/check-out-loan.dto';
import { ReturnLoanDto } from './dto/return-loan.dto';
import { LoanResponse, OverdueLoanResponse, toLoanResponse } from './loan.response';
import { LoansService } from './loans.service';
import { OverdueLoansService } from './overdue-loans.service';

const uuid = new ParseUUIDPipe({ version: '4' });

@ApiTags('loans')
@Controller('api/loans')
export class LoansController {
  constructor(
    private readonly loans: LoansService,
    private readonly overdue: OverdueLoansService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Hand a kit over: its asset tag and the patron's card find the reservation due today. With
   * `returnDate`, a walk-in is booked from today to that day and handed over in one step.
   */
  @Roles('staff')
  @HttpCode(200)
  @ApiNotFoundResponse({ description: '`UNKNOWN_ASSET_TAG` or `UNKNOWN_CARD`.' })
  @ApiConflictResponse({
    description: '`KIT_STILL_OUT`: the kit has not come back yet; `SLOT_TAKEN` for a walk-in.',
  })
  @ApiUnprocessableEntityResponse({
    description:
      '`NOT_A_LOAN_KIT`, `NO_RESERVATION`, `EQUIPMENT_UNAVAILABLE` (out of service), or a booking rule refusing a walk-in.',
  })
  @Post('check-out')
  async checkOut(@CurrentUser() staff: User, @Body() dto: CheckOutLoanDto): Promise<LoanResponse> {
    const loan = await this.loans.checkOut(staff, dto);
    return toLoanResponse(loan, this.config.timezone, this.clock.now());
  }

  /**
   * Take a kit back, with its condition and any parts missing. Back `damaged` or with parts
   * missing, the kit goes out of service until staff set it back to available.
   */
  @Roles('staff')
  @HttpCode(200)
  @ApiConflictResponse({ description: '`WRONG_STATUS`: the kit is not out on this loan.' })
  @ApiUnprocessableEntityResponse({ description: '`NOT_A_LOAN_KIT`: a station booking.' })
  @Post(':id/return')
  async return(
    @CurrentUser() staff: User,
    @Param('id', uuid) id: string,
    @Body() dto: ReturnLoanDto,
  ): Promise<LoanResponse> {
    const loan = await this.loans.return(staff, id, dto);
    return toLoanResponse(loan, this.config.timezone, this.clock.now());
  }

  /** Kits not back after their due date, with the later reservations each one holds up. */
  @Roles('staff')
  @Get('overdue')
  async listOverdue(): Promise<OverdueLoanResponse[]> {
    const now = this.clock.now();
    const zone = this.config.timezone;
    return (await this.overdue.list(now)).map((o) => ({
      loan: toLoanResponse(o.loan, zone, now),
      overdueDays: o.overdueDays,
      collisions: o.collisions.map((b) => toBookingResponse(b, zone)),
    }));
  }
}
