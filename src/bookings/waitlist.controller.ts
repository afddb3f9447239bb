import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { formatInstant } from '../common/time';
import { AppConfig } from '../config/app-config';
import { JoinWaitlistDto } from './dto/waitlist.dto';
import type { WaitlistEntry } from './waitlist-entry.entity';
import { WaitlistService } from './waitlist.service';
import { WaitlistEntryResponse } from './waitlist.response';

@ApiTags('waitlist')
@Controller('api/waitlist')
export class WaitlistController {
  constructor(
    private readonly waitlist: WaitlistService,
    private readonly config: AppConfig,
  ) {}

  /** Queue for a taken time; you are booked automatically if it frees up and you still qualify. */
  @Roles('patron')
  @Post()
  async join(
    @CurrentUser() patron: User,
    @Body() dto: JoinWaitlistDto,
  ): Promise<WaitlistEntryResponse> {
    return this.respond(await this.waitlist.join(patron, dto));
  }

  @Roles('patron')
  @Get()
  async list(@CurrentUser() patron: User): Promise<WaitlistEntryResponse[]> {
    const entries = await this.waitlist.list(patron);
    return Promise.all(entries.map((e) => this.respond(e)));
  }

  @Roles('patron')
  @HttpCode(204)
  @Delete(':id')
  async leave(
    @CurrentUser() patron: User,
    @Param('id', new ParseUUIDPipe({ version: '4' })) id: string,
  ): Promise<void> {
    await this.waitlist.leave(patron, id);
  }

  private async respond(entry: WaitlistEntry): Promise<WaitlistEntryResponse> {
    const zone = this.config.timezone;
    return {
      id: entry.id,
      equipment: entry.equipment.slug,
      equipmentName: entry.equipment.name,
      start: formatInstant(entry.start, zone),
      end: formatInstant(entry.end, zone),
      status: entry.status,
      position: await this.waitlist.position(entry),
      bookingId: entry.bookingId,
    };
  }
}
