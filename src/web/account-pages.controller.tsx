import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccountsService } from '../accounts/accounts.service';
import { LoginDto } from '../accounts/dto/login.dto';
import { RegisterDto } from '../accounts/dto/register.dto';
import { clearSessionCookie, setSessionCookie } from '../accounts/session-cookie';
import { AuthenticatedRequest, Public } from '../common/decorators/auth.decorators';
import { AuthRateLimited } from '../common/rate-limits';
import { AppConfig } from '../config/app-config';
import { field, Pages, readForm } from './pages.service';
import { safeNext } from './safe-next';
import { RegisterPage, SignInPage } from './views/sign-in';

/** The sign-in and registration forms' labels, for the DTOs' field names. */
const ACCOUNT_WORDS = {
  cardNumber: 'Library card number',
  pin: 'PIN',
  email: 'E-mail',
  password: 'Password',
  birthDate: 'Date of birth',
  'email must be an email': 'E-mail must be an address like name@example.org',
};

@ApiExcludeController()
@Controller()
export class AccountPagesController {
  constructor(
    private readonly pages: Pages,
    private readonly accounts: AccountsService,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('login')
  signInPage(@Req() req: Request, @Res() res: Response, @Query('next') next: unknown): void {
    this.pages.send(
      res,
      <SignInPage
        ctx={this.pages.context(req, res)}
        next={safeNext(next, '')}
        throughIls={this.config.patronAuth === 'sip2'}
      />,
    );
  }

  @Public()
  @AuthRateLimited()
  @Post('login')
  async signIn(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const next = field(body, 'next');
    const kept = safeNext(next, '');
    const back = `/login${kept ? `?next=${encodeURIComponent(kept)}` : ''}`;
    await this.pages.act(
      res,
      { success: '/', failure: back },
      async () => {
        const { next: _next, ...fields } = body as Record<string, unknown>;
        const { token, expiresAt, user } = await this.accounts.signIn(
          await readForm(LoginDto, fields),
          req.ip,
        );
        setSessionCookie(res, token, expiresAt, this.config.publicUrl);
        const home = user.role === 'patron' ? '/my/bookings' : '/desk';
        return { message: `Welcome, ${user.name}.`, to: safeNext(next, home) };
      },
      ACCOUNT_WORDS,
    );
  }

  @Public()
  @Get('register')
  registerPage(@Req() req: Request, @Res() res: Response): void {
    this.pages.send(
      res,
      <RegisterPage
        ctx={this.pages.context(req, res)}
        throughIls={this.config.patronAuth === 'sip2'}
      />,
    );
  }

  @Public()
  @AuthRateLimited()
  @Post('register')
  async register(@Res() res: Response, @Body() body: unknown): Promise<void> {
    await this.pages.act(
      res,
      { success: '/', failure: '/register' },
      async () => {
        const dto = await readForm(RegisterDto, body);
        await this.accounts.register(dto);
        const { token, expiresAt, user } = await this.accounts.signIn({
          cardNumber: dto.cardNumber,
          pin: dto.pin,
        });
        setSessionCookie(res, token, expiresAt, this.config.publicUrl);
        return `Welcome to the lab, ${user.name}. We have e-mailed ${user.email} a link: open it to confirm your address, and you can book.`;
      },
      ACCOUNT_WORDS,
    );
  }

  @Public()
  @Post('logout')
  async signOut(@Req() req: AuthenticatedRequest, @Res() res: Response): Promise<void> {
    if (req.sessionId) await this.accounts.signOut(req.sessionId);
    clearSessionCookie(res);
    res.redirect(303, '/');
  }
}
