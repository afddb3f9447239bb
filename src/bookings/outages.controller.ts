import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { formatInstant } from '../common/time';
import { AppConfig } from '../config/app-config';
import type { Outage } from '../equipment/outage.entity';
import { toBookingResponse } from './booking.response';
import { CreateOutageDto } from './dto/outage.dto';
import { PreviewQueryDto } from './dto/preview-query.dto';
import { OutagesService } from './outages.service';
import { OutageResponse, CreatedOutageResponse } from './outage.response';

@ApiTags('equipment')
@Controller('api/equipment/:slug/outages')
export class OutagesController {
  constructor(
    private readonly outages: OutagesService,
    private readonly config: AppConfig,
  ) {}

  /**
   * Take a device out of service for a while: the live bookings it hits are displaced and their
   * patrons told. With `?preview=true`, only says what it would displace.
   */
  @Roles('staff')
  @Post()
  async create(
    @Param('slug') slug: string,
    @Body() dto: CreateOutageDto,
    @Query() query: PreviewQueryDto,
    @CurrentUser() staff: User,
  ): Promise<CreatedOutageResponse> {
    const { outage, collisions, displaced, alternatives } = await this.outages.create(
      slug,
      dto.start,
      dto.end,
      dto.reason,
      staff,
      query.preview,
    );
    return {
      outage: this.respond(outage),
      collisions: collisions.map((b) => toBookingResponse(b, this.config.timezone)),
      displaced: displaced.map((b) => toBookingResponse(b, this.config.timezone)),
      alternatives: alternatives.map((a) => ({
        ...a,
        start: formatInstant(a.start, this.config.timezone),
        end: formatInstant(a.end, this.config.timezone),
      })),
    };
  }

  @Roles('staff')
  @Get()
  async list(@Param('slug') slug: string): Promise<OutageResponse[]> {
    return (await this.outages.list(slug)).map((o) => this.respond(o));
  }

  private respond(outage: Outage): OutageResponse {
    const zone = this.config.timezone;
    return {
      id: outage.id,
      start: formatInstant(outage.start, zone),
      end: formatInstant(outage.end, zone),
      reason: outage.reason,
    };
  }
}
