import { Body, Controller, Get, HttpException, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ResendVerificationDto, VerifyEmailDto } from '../accounts/dto/verify.dto';
import { PatronVerificationService } from '../accounts/patron-verification.service';
import { SecretLinksService } from '../accounts/secret-links.service';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Public, Roles } from '../common/decorators/auth.decorators';
import { AuthRateLimited } from '../common/rate-limits';
import { field, messageOf, Pages, readForm } from './pages.service';
import { VerifyPage } from './views/verify';

/** Confirming a self-registered patron's e-mail address, over the same services as the API. */
@ApiExcludeController()
@Controller()
export class VerifyPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly links: SecretLinksService,
    private readonly verification: PatronVerificationService,
  ) {}

  @Public()
  @Get('verify')
  async verifyPage(
    @Req() req: Request,
    @Res() res: Response,
    @Query('token') token: unknown,
  ): Promise<void> {
    const ctx = this.pages.context(req, res);
    const given = typeof token === 'string' && token.length <= 100 ? token : null;
    let holder: User | null = null;
    let problem: string | null = null;
    if (given) {
      try {
        holder = (await this.links.open(given, ['verify'])).user;
      } catch (error) {
        if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
        problem = messageOf(error);
      }
    }
    this.pages.send(
      res,
      <VerifyPage ctx={ctx} token={given} holder={holder} problem={problem} />,
      problem ? 410 : 200,
    );
  }

  /** As `POST /api/auth/verify`. */
  @Public()
  @AuthRateLimited()
  @Post('verify')
  async confirm(@Res() res: Response, @Body() body: unknown): Promise<void> {
    const token = field(body, 'token')?.slice(0, 100) ?? '';
    const back = `/verify?token=${encodeURIComponent(token)}`;
    await this.pages.act(res, { success: '/', failure: back }, async () => {
      const user = await this.verification.confirm((await readForm(VerifyEmailDto, body)).token);
      return `Thank you, ${user.name}: your e-mail address is confirmed. You can book now.`;
    });
  }

  /** As `POST /api/auth/verify/resend`. */
  @Public()
  @AuthRateLimited()
  @Post('verify/resend')
  async resend(@Res() res: Response, @Body() body: unknown): Promise<void> {
    await this.pages.act(
      res,
      { success: '/verify', failure: '/verify' },
      async () => {
        await this.verification.resend(await readForm(ResendVerificationDto, body));
        return 'If a registration waiting for confirmation has that card number, we have e-mailed it a new link. It works once, for 2 days.';
      },
      { cardNumber: 'Library card number' },
    );
  }

  /** The signed-in patron's own "send me a new link" button. */
  @Roles('patron')
  @AuthRateLimited()
  @Post('account/verify')
  async resendOwn(
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() user: User,
  ): Promise<void> {
    const back = field(body, 'back') === '/my/bookings' ? '/my/bookings' : '/account';
    await this.pages.act(res, { success: back, failure: back }, async () =>
      (await this.verification.resendTo(user))
        ? `We have e-mailed a new link to ${user.email}. It works once, for 2 days.`
        : 'Your account needs no confirmation: you can book.',
    );
  }
}
