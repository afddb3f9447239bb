import { Body, Controller, Get, HttpException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { User } from '../accounts/user.entity';
import { BookingsService } from '../bookings/bookings.service';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { CheckOutLoanDto } from '../loans/dto/check-out-loan.dto';
import { ReturnLoanDto } from '../loans/dto/return-loan.dto';
import { LoansService } from '../loans/loans.service';
import { OverdueLoansService } from '../loans/overdue-loans.service';
import { dueDate } from '../bookings/overdue-kit';
import { field, messageOf, Pages, readForm, pageId } from './pages.service';
import { CheckOutDraft, DeskLoansPage } from './views/desk-loans';

/** A ticked list arrives as one value or several; none at all is an empty list. */
function list(body: unknown, name: string): string[] {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

/** The loan desk: hand a kit over against its checklist, take it back, see what is late. */
@ApiExcludeController()
@Roles('staff')
@Controller('desk/loans')
export class DeskLoansController {
  constructor(
    private readonly pages: Pages,
    private readonly loans: LoansService,
    private readonly overdue: OverdueLoansService,
    private readonly bookings: BookingsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async page(
    @Req() req: Request,
    @Res() res: Response,
    @Query('tag') tagParam: unknown,
    @Query('card') cardParam: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    const ctx = this.pages.context(req, res);
    const tag = typeof tagParam === 'string' ? tagParam.trim().slice(0, 40) : '';
    const card = typeof cardParam === 'string' ? cardParam.trim().slice(0, 20) : '';
    let draft: CheckOutDraft | null = null;
    if (tag) {
      const kit = await this.loans.kitTagged(tag).catch((error: unknown) => {
        if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
        ctx.flash = { kind: 'error', text: messageOf(error) };
        return null;
      });
      if (kit && !/^\d{6,20}$/.test(card))
        ctx.flash = { kind: 'error', text: 'The card number must be 6 to 20 digits.' };
      else if (kit)
        draft = { kit, cardNumber: card, today: localDate(this.clock.now(), this.config.timezone) };
    }
    const now = this.clock.now();
    const out = (await this.bookings.list(staff, { status: 'checked_in', limit: 1000 })).filter(
      (b) => b.equipment.kind === 'loan',
    );
    this.pages.send(
      res,
      <DeskLoansPage
        ctx={ctx}
        draft={draft}
        tag={tag}
        card={card}
        out={out}
        overdue={await this.overdue.list(now)}
      />,
    );
  }

  @Post('check-out')
  async checkOut(
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.pages.act(res, { success: '/desk/loans', failure: '/desk/loans' }, async () => {
      const dto = await readForm(CheckOutLoanDto, {
        assetTag: field(body, 'assetTag'),
        cardNumber: field(body, 'cardNumber'),
        partsPresent: list(body, 'partsPresent'),
        returnDate: field(body, 'returnDay'),
      });
      const loan = await this.loans.checkOut(staff, dto);
      const due = houseStyle(this.config).date(
        dueDate(loan.end, this.config.timezone),
        this.clock.now(),
      );
      return `${loan.equipment.name} is out with ${loan.patron.name}, due back by closing on ${due}.`;
    });
  }

  @Post(':id/return')
  async takeBack(
    @Res() res: Response,
    @Param('id', pageId) id: string,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.pages.act(res, { success: '/desk/loans', failure: '/desk/loans' }, async () => {
      const dto = await readForm(ReturnLoanDto, {
        condition: field(body, 'condition'),
        missingParts: list(body, 'missingParts'),
        ...(field(body, 'damaged') === 'yes' ? { damaged: true } : {}),
      });
      const loan = await this.loans.return(staff, id, dto);
      const missing = loan.missingParts?.length ? ` Missing: ${loan.missingParts.join(', ')}.` : '';
      const unfit =
        loan.equipment.status === 'out_of_service'
          ? ' It is out of service until staff set it back to available.'
          : '';
      return `${loan.equipment.name} is back from ${loan.patron.name}.${missing}${unfit}`;
    });
  }
}
