import { Body, Controller, Get, HttpException, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  ChangePasswordDto,
  ChangePinDto,
  ConfirmSecretResetDto,
  RequestSecretResetDto,
} from '../accounts/dto/secret.dto';
import { AccountsService } from '../accounts/accounts.service';
import { OwnSecretService } from '../accounts/own-secret.service';
import { SecretLinksService } from '../accounts/secret-links.service';
import type { User } from '../accounts/user.entity';
import {
  AuthenticatedRequest,
  CurrentUser,
  Public,
  Roles,
  SignedIn,
} from '../common/decorators/auth.decorators';
import { AuthRateLimited } from '../common/rate-limits';
import { CertificationsService } from '../certifications/certifications.service';
import { AppConfig } from '../config/app-config';
import { field, messageOf, Pages, readForm } from './pages.service';
import { AccountFacts, AccountPage, ResetPage } from './views/account-secrets';

/** The PIN and password forms' labels, for the DTOs' field names. */
const SECRET_WORDS = {
  cardNumber: 'Library card number',
  email: 'E-mail',
  currentPin: 'Current PIN',
  pin: 'New PIN',
  currentPassword: 'Current password',
  password: 'New password',
};

/** Forgotten and changed PINs and passwords, over the same services as the API. */
@ApiExcludeController()
@Controller()
export class AccountSecretsController {
  constructor(
    private readonly pages: Pages,
    private readonly links: SecretLinksService,
    private readonly secrets: OwnSecretService,
    private readonly accounts: AccountsService,
    private readonly certifications: CertificationsService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('reset')
  async resetPage(
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
        holder = await this.links.holder(given);
      } catch (error) {
        if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
        problem = messageOf(error);
      }
    }
    this.pages.send(
      res,
      <ResetPage ctx={ctx} token={given} holder={holder} problem={problem} />,
      problem ? 410 : 200,
    );
  }

  /** As `POST /api/auth/pin-reset`. */
  @Public()
  @AuthRateLimited()
  @Post('reset/request')
  async requestLink(@Res() res: Response, @Body() body: unknown): Promise<void> {
    await this.pages.act(
      res,
      { success: '/login', failure: '/reset' },
      async () => {
        await this.links.request(await readForm(RequestSecretResetDto, body));
        return 'If an account has that card number or e-mail, we have e-mailed it a link. It works once, for 30 minutes.';
      },
      SECRET_WORDS,
    );
  }

  /** As `POST /api/auth/pin-reset/confirm`. */
  @Public()
  @AuthRateLimited()
  @Post('reset')
  async confirm(@Res() res: Response, @Body() body: unknown): Promise<void> {
    const token = field(body, 'token')?.slice(0, 100) ?? '';
    const back = `/reset?token=${encodeURIComponent(token)}`;
    await this.pages.act(
      res,
      { success: '/login', failure: back },
      async () => {
        const user = await this.links.confirm(await readForm(ConfirmSecretResetDto, body));
        return `Your ${user.role === 'patron' ? 'PIN' : 'password'} is set. Sign in with it now.`;
      },
      SECRET_WORDS,
    );
  }

  @SignedIn()
  @Get('account')
  async accountPage(
    @Req() req: Request,
    @Res() res: Response,
    @CurrentUser() user: User,
  ): Promise<void> {
    const ctx = this.pages.context(req, res);
    const facts: AccountFacts = { certifications: [] };
    if (user.role === 'patron') {
      facts.group = this.accounts.groupOf(user);
      facts.feedUrl = this.feedUrl(await this.accounts.calendarToken(user));
      facts.certifications = (await this.certifications.listFor(user.id)).map((c) => ({
        device: c.equipment.name,
        slug: c.equipment.slug,
        expiresAt: c.expiresAt,
      }));
    }
    this.pages.send(res, <AccountPage ctx={ctx} facts={facts} />);
  }

  /** As `POST /api/me/calendar-feed`: a new secret address; the old one stops working. */
  @Roles('patron')
  @Post('account/calendar-feed')
  async renewFeed(@Res() res: Response, @CurrentUser() user: User): Promise<void> {
    await this.pages.act(res, { success: '/account', failure: '/account' }, async () => {
      await this.accounts.calendarToken(user, true);
      return 'Your calendar has a new address. Subscribe to it again; the old one no longer works.';
    });
  }

  private feedUrl(token: string): string {
    return `${this.config.publicUrl}/api/calendar/${token}.ics`;
  }

  /** As `POST /api/me/pin`. */
  @Roles('patron')
  @Post('account/pin')
  async changePin(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() user: User,
  ): Promise<void> {
    await this.pages.act(
      res,
      { success: '/account', failure: '/account' },
      async () => {
        await this.secrets.changePin(
          user,
          req.sessionId!,
          await readForm(ChangePinDto, body),
          req.ip,
        );
        return 'Your PIN is changed. Your other sign-ins have ended.';
      },
      SECRET_WORDS,
    );
  }

  /** As `POST /api/me/password`. */
  @Roles('staff')
  @Post('account/password')
  async changePassword(
    @Req() req: AuthenticatedRequest,
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() user: User,
  ): Promise<void> {
    await this.pages.act(
      res,
      { success: '/account', failure: '/account' },
      async () => {
        const dto = await readForm(ChangePasswordDto, body);
        await this.secrets.changePassword(user, req.sessionId!, dto, req.ip);
        return 'Your password is changed. Your other sign-ins have ended.';
      },
      SECRET_WORDS,
    );
  }
}
