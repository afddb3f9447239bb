import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuthenticatedRequest, Public, SignedIn } from '../common/decorators/auth.decorators';
import { AuthRateLimited } from '../common/rate-limits';
import { formatInstant } from '../common/time';
import { AppConfig } from '../config/app-config';
import { AccountsService } from './accounts.service';
import { LoginDto } from './dto/login.dto';
import { ConfirmSecretResetDto, RequestSecretResetDto } from './dto/secret.dto';
import { SecretLinksService } from './secret-links.service';
import { RegisterDto } from './dto/register.dto';
import { ResendVerificationDto, VerifyEmailDto } from './dto/verify.dto';
import { PatronVerificationService } from './patron-verification.service';
import { clearSessionCookie, setSessionCookie } from './session-cookie';
import { toUserResponse, UserResponse } from './user.response';
import { MessageResponse, SignInResponse } from './sign-in.response';

@ApiTags('accounts')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly links: SecretLinksService,
    private readonly verification: PatronVerificationService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Register a patron with their library card. They may sign in at once and book once they
   * confirm their e-mail address through the link e-mailed to them (valid 48 hours), or show
   * their card at the desk.
   */
  @Public()
  @AuthRateLimited()
  @Post('register')
  async register(@Body() dto: RegisterDto): Promise<UserResponse> {
    const user = await this.accounts.register(dto);
    return toUserResponse(
      user,
      this.accounts.ageGroup(user),
      this.config.timezone,
      this.accounts.groupOf(user),
    );
  }

  /** Sign in: patrons with card number and PIN, staff with e-mail and password. */
  @Public()
  @AuthRateLimited()
  @ApiTooManyRequestsResponse({
    description:
      'Too many wrong attempts on this account, or sign-ins from this address; see Retry-After.',
  })
  @HttpCode(200)
  @Post('login')
  async login(
    @Body() dto: LoginDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SignInResponse> {
    const { token, expiresAt, user } = await this.accounts.signIn(dto, request.ip);
    setSessionCookie(response, token, expiresAt, this.config.publicUrl);
    return {
      token,
      expiresAt: formatInstant(expiresAt, this.config.timezone),
      user: toUserResponse(
        user,
        this.accounts.ageGroup(user),
        this.config.timezone,
        this.accounts.groupOf(user),
      ),
    };
  }

  /** End this session. */
  @SignedIn()
  @HttpCode(204)
  @Post('logout')
  async logout(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<void> {
    await this.accounts.signOut(request.sessionId!);
    clearSessionCookie(response);
  }

  /**
   * Forgot a PIN (`cardNumber`) or a staff password (`email`): e-mails a single-use link,
   * `PUBLIC_URL/reset?token=…`, valid 30 minutes. Always `202`, in about the same time, whether or
   * not an account has that card or address.
   */
  @Public()
  @AuthRateLimited()
  @HttpCode(202)
  @Post('pin-reset')
  @ApiAcceptedResponse({
    description: 'Always an empty object: nothing in the answer tells whether the account exists.',
    schema: { type: 'object', properties: {}, additionalProperties: false },
  })
  async requestReset(@Body() dto: RequestSecretResetDto): Promise<Record<string, never>> {
    await this.links.request(dto);
    return {};
  }

  /**
   * Sets the new PIN (patrons) or password (staff, at least 12 characters) from the link's token,
   * once; every session of the account ends. A made-up token is `400`, a used or expired one `410`.
   */
  @Public()
  @AuthRateLimited()
  @HttpCode(200)
  @Post('pin-reset/confirm')
  async confirmReset(@Body() dto: ConfirmSecretResetDto): Promise<MessageResponse> {
    const user = await this.links.confirm(dto);
    return {
      message: `Your ${user.role === 'patron' ? 'PIN' : 'password'} is set. Sign in with it now.`,
    };
  }

  /**
   * Confirms a self-registered patron's e-mail address from the link's token,
   * `PUBLIC_URL/verify?token=…`, once; the patron may book from then on. A made-up token is `400`,
   * a used or expired one `410`.
   */
  @Public()
  @AuthRateLimited()
  @HttpCode(200)
  @Post('verify')
  async verify(@Body() dto: VerifyEmailDto): Promise<MessageResponse> {
    const user = await this.verification.confirm(dto.token);
    return { message: `Thank you, ${user.name}: your e-mail address is confirmed. You can book.` };
  }

  /**
   * A new confirmation link for an unconfirmed patron with that card number or e-mail address.
   * Always `202`, in about the same time, whether or not there is one.
   */
  @Public()
  @AuthRateLimited()
  @HttpCode(202)
  @Post('verify/resend')
  @ApiAcceptedResponse({
    description: 'Always an empty object: nothing in the answer tells whether the account exists.',
    schema: { type: 'object', properties: {}, additionalProperties: false },
  })
  async resendVerification(@Body() dto: ResendVerificationDto): Promise<Record<string, never>> {
    await this.verification.resend(dto);
    return {};
  }
}
