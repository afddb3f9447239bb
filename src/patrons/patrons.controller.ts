import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { AccountsService } from '../accounts/accounts.service';
import { PatronQueryDto } from '../accounts/dto/patron-query.dto';
import { UpdatePatronDto } from '../accounts/dto/update-patron.dto';
import { PatronGroupsService } from '../accounts/patron-groups.service';
import { PatronVerificationService } from '../accounts/patron-verification.service';
import { SecretLinksService } from '../accounts/secret-links.service';
import type { User } from '../accounts/user.entity';
import { toUserResponse, UserResponse } from '../accounts/user.response';
import {
  CertificationResponse,
  toCertificationResponse,
} from '../certifications/certification.response';
import { CertificationsService } from '../certifications/certifications.service';
import { GrantCertificationDto } from '../certifications/dto/grant-certification.dto';
import { Clock } from '../common/clock';
import { CurrentUser, Roles, SignedIn } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { EquipmentService } from '../equipment/equipment.service';
import { ProfileResponse, PinResetSentResponse } from './patron.response';

@ApiTags('patrons')
@Controller('api')
export class PatronsController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly links: SecretLinksService,
    private readonly groups: PatronGroupsService,
    private readonly verification: PatronVerificationService,
    private readonly certifications: CertificationsService,
    private readonly equipment: EquipmentService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** Who is signed in, with their certifications. */
  @SignedIn()
  @Get('me')
  me(@CurrentUser() user: User): Promise<ProfileResponse> {
    return this.profile(user);
  }

  /** Find patrons at the desk by the start of a card number or part of a name. */
  @Roles('staff')
  @Get('patrons')
  async search(@Query() query: PatronQueryDto): Promise<UserResponse[]> {
    const patrons = query.card ? await this.accounts.searchPatrons(query.card) : [];
    return patrons.map((p) =>
      toUserResponse(p, this.accounts.ageGroup(p), this.config.timezone, this.accounts.groupOf(p)),
    );
  }

  @Roles('staff')
  @Get('patrons/:card')
  async get(@Param('card') card: string): Promise<ProfileResponse> {
    return this.profile(await this.patron(card));
  }

  /**
   * Change a patron at the desk: their group (`null`: by age again), or `verified: true` after
   * seeing their library card, so they may book without confirming their e-mail address. Fields
   * left out stay as they are.
   */
  @Roles('staff')
  @Patch('patrons/:card')
  async update(
    @Param('card') card: string,
    @Body() dto: UpdatePatronDto,
    @CurrentUser() staff: User,
  ): Promise<ProfileResponse> {
    const patron = await this.patron(card);
    if (dto.group !== undefined) await this.groups.setGroup(patron, dto.group, staff);
    if (dto.verified) await this.verification.verifyAtDesk(patron, staff);
    return this.profile(await this.patron(card));
  }

  @Roles('staff')
  @Get('patrons/:card/certifications')
  async listCertifications(@Param('card') card: string): Promise<CertificationResponse[]> {
    return (await this.profile(await this.patron(card))).certifications;
  }

  /** Certify a patron for a device after an in-person orientation. */
  @Roles('staff')
  @Post('patrons/:card/certifications')
  async grant(
    @Param('card') card: string,
    @Body() dto: GrantCertificationDto,
    @CurrentUser() staff: User,
  ): Promise<CertificationResponse> {
    const patron = await this.patron(card);
    const device = await this.equipment.get(dto.equipment);
    const certification = await this.certifications.grant(patron, device, staff, dto.validMonths);
    return toCertificationResponse(certification, this.config.timezone, this.clock.now());
  }

  /** Lift a booking pause (after no-shows) before it runs out. */
  @Roles('staff')
  @Delete('patrons/:card/suspension')
  async liftSuspension(
    @Param('card') card: string,
    @CurrentUser() staff: User,
  ): Promise<ProfileResponse> {
    const patron = await this.patron(card);
    await this.accounts.liftSuspension(patron, staff);
    return this.profile(patron);
  }

  /** E-mail the patron a single-use link (30 minutes) to set a new PIN, after seeing their card. */
  @Roles('staff')
  @HttpCode(202)
  @Post('patrons/:card/pin-reset')
  async sendPinReset(
    @Param('card') card: string,
    @CurrentUser() staff: User,
  ): Promise<PinResetSentResponse> {
    return { sentTo: await this.links.sendToPatron(await this.patron(card), staff) };
  }

  private async patron(card: string): Promise<User> {
    const patron = /^\d{1,20}$/.test(card) ? await this.accounts.findPatronByCard(card) : null;
    if (!patron) throw new NotFoundException(`No patron has card number ${card.slice(0, 20)}.`);
    return patron;
  }

  private async profile(user: User): Promise<ProfileResponse> {
    const certifications = user.role === 'patron' ? await this.certifications.listFor(user.id) : [];
    const now = this.clock.now();
    return {
      ...toUserResponse(
        user,
        this.accounts.ageGroup(user),
        this.config.timezone,
        this.accounts.groupOf(user),
      ),
      certifications: certifications.map((c) =>
        toCertificationResponse(c, this.config.timezone, now),
      ),
    };
  }
}
