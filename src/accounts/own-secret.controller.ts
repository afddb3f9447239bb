import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { AuthenticatedRequest, CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { ChangePasswordDto, ChangePinDto } from './dto/secret.dto';
import { OwnSecretService } from './own-secret.service';
import type { User } from './user.entity';

@ApiTags('accounts')
@ApiTooManyRequestsResponse({ description: 'Too many wrong current secrets; see Retry-After.' })
@Controller('api/me')
export class OwnSecretController {
  constructor(private readonly secrets: OwnSecretService) {}

  /** Change your PIN (patrons): the current one is required; other sessions end. */
  @Roles('patron')
  @HttpCode(204)
  @Post('pin')
  async changePin(
    @Body() dto: ChangePinDto,
    @CurrentUser() user: User,
    @Req() request: AuthenticatedRequest,
  ): Promise<void> {
    await this.secrets.changePin(user, request.sessionId!, dto, request.ip);
  }

  /** Change your password (staff, at least 12 characters): the current one is required; other sessions end. */
  @Roles('staff')
  @HttpCode(204)
  @Post('password')
  async changePassword(
    @Body() dto: ChangePasswordDto,
    @CurrentUser() user: User,
    @Req() request: AuthenticatedRequest,
  ): Promise<void> {
    await this.secrets.changePassword(user, request.sessionId!, dto, request.ip);
  }
}
