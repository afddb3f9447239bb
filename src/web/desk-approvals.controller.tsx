import { Body, Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { User } from '../accounts/user.entity';
import { BookingsService } from '../bookings/bookings.service';
import { DenyBookingDto } from '../bookings/dto/desk.dto';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { field, Pages, readForm, pageId } from './pages.service';
import { DeskApprovalsPage } from './views/desk-approvals';

/** Booking requests waiting for staff: approve or decline, from one page. */
@ApiExcludeController()
@Roles('staff')
@Controller('desk/approvals')
export class DeskApprovalsController {
  constructor(
    private readonly pages: Pages,
    private readonly bookings: BookingsService,
  ) {}

  @Get()
  async page(@Req() req: Request, @Res() res: Response, @CurrentUser() staff: User): Promise<void> {
    const ctx = this.pages.context(req, res);
    // Soonest first, as the list comes.
    const pending = await this.bookings.list(staff, { status: 'pending', limit: 500 });
    this.pages.send(res, <DeskApprovalsPage ctx={ctx} pending={pending} />);
  }

  @Post(':id/approve')
  async approve(
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.pages.act(
      res,
      { success: '/desk/approvals', failure: '/desk/approvals' },
      async () => {
        const booking = await this.bookings.approve(staff, id);
        return `Approved: ${booking.equipment.name} for ${booking.patron.name} (${booking.code}). They have been e-mailed.`;
      },
    );
  }

  @Post(':id/deny')
  async deny(
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.pages.act(
      res,
      { success: '/desk/approvals', failure: '/desk/approvals' },
      async () => {
        const dto = await readForm(DenyBookingDto, { reason: field(body, 'reason') });
        const booking = await this.bookings.deny(staff, id, dto.reason);
        return `Declined: ${booking.equipment.name} for ${booking.patron.name} (${booking.code}). They have been e-mailed the reason, and the time is free.`;
      },
    );
  }
}
