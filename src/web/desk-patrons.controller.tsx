import {
  BadRequestException,
  Body,
  Controller,
  Get,
  NotFoundException,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AccountsService } from '../accounts/accounts.service';
import { PatronQueryDto } from '../accounts/dto/patron-query.dto';
import { UpdatePatronDto } from '../accounts/dto/update-patron.dto';
import { PatronGroupsService } from '../accounts/patron-groups.service';
import { PatronVerificationService } from '../accounts/patron-verification.service';
import { SecretLinksService } from '../accounts/secret-links.service';
import type { User } from '../accounts/user.entity';
import { BookingsService } from '../bookings/bookings.service';
import { CertificationsService } from '../certifications/certifications.service';
import { GrantCertificationDto } from '../certifications/dto/grant-certification.dto';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { houseStyle } from '../common/house-style';
import { SLUG_PATTERN } from '../common/validators';
import { AppConfig } from '../config/app-config';
import { EquipmentService } from '../equipment/equipment.service';
import { SendManualDto } from '../manuals/dto/manual-content.dto';
import { ManualSender } from '../manuals/manual-sender.service';
import { ManualsService } from '../manuals/manuals.service';
import { field, Pages, readForm } from './pages.service';
import { DeskPatronsPage, FoundPatron } from './views/desk-patrons';

/** The desk's patron work: look a patron up (bookings ahead, no-shows, pause, certifications), certify them after an orientation, hand out manuals. */
@ApiExcludeController()
@Roles('staff')
@Controller('desk')
export class DeskPatronsController {
  constructor(
    private readonly pages: Pages,
    private readonly accounts: AccountsService,
    private readonly links: SecretLinksService,
    private readonly verification: PatronVerificationService,
    private readonly groups: PatronGroupsService,
    private readonly certifications: CertificationsService,
    private readonly bookings: BookingsService,
    private readonly equipment: EquipmentService,
    private readonly manuals: ManualsService,
    private readonly sender: ManualSender,
    private readonly config: AppConfig,
  ) {}

  @Get('patrons')
  async patrons(@Req() req: Request, @Res() res: Response, @Query('q') q: unknown): Promise<void> {
    const ctx = this.pages.context(req, res);
    const text = typeof q === 'string' ? q.trim().slice(0, 100) : '';
    let found: FoundPatron[] | null = null;
    if (text) {
      const query = await readForm(PatronQueryDto, { card: text });
      const patrons = await this.accounts.searchPatrons(query.card!);
      found = [];
      for (const patron of patrons)
        found.push({
          patron,
          ageGroup: this.accounts.ageGroup(patron),
          group: this.accounts.groupOf(patron) ?? '',
          certifications: await this.certifications.listFor(patron.id),
          record: await this.bookings.patronRecord(patron.id),
        });
    }
    const devices = await this.equipment.list({});
    const noShowRule = {
      limit: this.config.noShowLimit,
      days: this.config.noShowWindowDays,
      graceMinutes: this.config.noShowGraceMinutes,
    };
    this.pages.send(
      res,
      <DeskPatronsPage
        ctx={ctx}
        q={text}
        found={found}
        devices={devices}
        noShowRule={noShowRule}
      />,
    );
  }

  /** The patron a form names by card; a 404 in plain words when there is none. */
  private async patronWithCard(card: string): Promise<User> {
    const patron = /^\d{1,20}$/.test(card) ? await this.accounts.findPatronByCard(card) : null;
    if (!patron) throw new NotFoundException(`No patron has card number ${card.slice(0, 20)}.`);
    return patron;
  }

  /**
   * Does something to the patron a form names by card, then goes back to the same look-up with
   * what was done, or why not.
   */
  private async actOnPatron(
    res: Response,
    card: string,
    body: unknown,
    action: (patron: User) => Promise<string>,
  ): Promise<void> {
    const back = lookUpAgain(body, card);
    await this.pages.act(res, { success: back, failure: back }, async () =>
      action(await this.patronWithCard(card)),
    );
  }

  /** Certify after an in-person orientation, as `POST /api/patrons/:card/certifications`. */
  @Post('patrons/:card/certifications')
  async grant(
    @Res() res: Response,
    @Param('card') card: string,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.actOnPatron(res, card, body, async (patron) => {
      const dto = await readForm(GrantCertificationDto, { equipment: field(body, 'equipment') });
      const device = await this.equipment.get(dto.equipment);
      const granted = await this.certifications.grant(patron, device, staff, dto.validMonths);
      const until = granted.expiresAt
        ? `, until ${houseStyle(this.config).date(granted.expiresAt, granted.grantedAt)}`
        : '';
      return `${patron.name} is certified for ${device.name}${until}.`;
    });
  }

  /** E-mails the patron a link to set a new PIN, as `POST /api/patrons/:card/pin-reset`. */
  @Post('patrons/:card/pin-reset')
  async sendPinReset(
    @Res() res: Response,
    @Param('card') card: string,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.actOnPatron(res, card, body, async (patron) => {
      const sentTo = await this.links.sendToPatron(patron, staff);
      return `E-mailed ${patron.name} a link to set a new PIN, at ${sentTo}. It works for 30 minutes.`;
    });
  }

  /** Verifies the patron after seeing their card, as `PATCH /api/patrons/:card {verified: true}`. */
  @Post('patrons/:card/verify')
  async verify(
    @Res() res: Response,
    @Param('card') card: string,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.actOnPatron(res, card, body, async (patron) => {
      await this.verification.verifyAtDesk(patron, staff);
      return `${patron.name} is verified and can book.`;
    });
  }

  /** Sets the patron's group, as `PATCH /api/patrons/:card {group}`; empty goes back to age. */
  @Post('patrons/:card/group')
  async setGroup(
    @Res() res: Response,
    @Param('card') card: string,
    @Body() body: unknown,
    @CurrentUser() staff: User,
  ): Promise<void> {
    await this.actOnPatron(res, card, body, async (patron) => {
      const typed = field(body, 'group')?.trim() ?? '';
      const dto = await readForm(UpdatePatronDto, { group: typed === '' ? null : typed });
      await this.groups.setGroup(patron, dto.group ?? null, staff);
      return dto.group
        ? `${patron.name} is now in the group ${dto.group}.`
        : `${patron.name}'s group follows their age again.`;
    });
  }

  /** The hand-off's print button: a form without JavaScript cannot build the link itself. */
  @Get('print')
  async print(@Res() res: Response, @Query('manual') manual: unknown): Promise<void> {
    if (typeof manual !== 'string' || !SLUG_PATTERN.test(manual))
      throw new BadRequestException('Pick a walkthrough to print.');
    const { manual: found } = await this.manuals.getPublished(manual);
    res.redirect(303, `/manuals/${found.slug}/print`);
  }

  /** E-mails a walkthrough's link, as `POST /api/manuals/:slug/send`. */
  @Post('manuals/send')
  async send(@Res() res: Response, @Body() body: unknown): Promise<void> {
    await this.pages.act(res, { success: '/desk', failure: '/desk' }, async () => {
      const slug = field(body, 'manual');
      if (!slug || !SLUG_PATTERN.test(slug))
        throw new BadRequestException('Pick a walkthrough to send.');
      const dto = await readForm(SendManualDto, { cardNumber: field(body, 'cardNumber')?.trim() });
      const sent = await this.sender.sendToPatron(slug, dto.cardNumber);
      return `E-mailed “${sent.title}” to ${sent.patronName} at ${sent.sentTo}.`;
    });
  }
}

/** Back to the look-up the form came from, so the desk sees the patron it acted on. */
function lookUpAgain(body: unknown, card: string): string {
  const q = field(body, 'q')?.slice(0, 100) ?? card;
  return `/desk/patrons?q=${encodeURIComponent(q)}`;
}
