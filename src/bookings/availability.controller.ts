import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Public } from '../common/decorators/auth.decorators';
import { formatInstant, parseInstant } from '../common/time';
import { AppConfig } from '../config/app-config';
import { EquipmentResponse, toEquipmentResponse } from '../equipment/equipment.response';
import { EquipmentService } from '../equipment/equipment.service';
import { AvailabilityService } from './availability.service';
import { DayAvailabilityQueryDto, FreeEquipmentQueryDto } from './dto/availability.dto';
import { DayAvailabilityResponse } from './availability.response';

@ApiTags('availability')
@Controller('api')
export class AvailabilityController {
  constructor(
    private readonly availability: AvailabilityService,
    private readonly equipment: EquipmentService,
    private readonly config: AppConfig,
  ) {}

  /**
   * A device's slots on a local date, each available only if the viewer (signed in or not) could
   * book the device's shortest booking there; a time that is free but not for this viewer says why.
   */
  @Public()
  @Get('equipment/:slug/availability')
  async day(
    @Param('slug') slug: string,
    @Query() query: DayAvailabilityQueryDto,
    @CurrentUser() user: User | undefined,
  ): Promise<DayAvailabilityResponse> {
    const day = await this.availability.day(slug, query.date, { viewer: user ?? null });
    const zone = this.config.timezone;
    const at = (d: Date) => formatInstant(d, zone);
    return {
      date: day.date,
      timezone: day.timezone,
      open: day.open.map((o) => ({ start: at(o.start), end: at(o.end) })),
      slots: day.slots.map((s) => ({
        start: at(s.start),
        end: at(s.end),
        available: s.available,
        ...(s.reason ? { reason: s.reason } : {}),
      })),
      bookable: day.bookable,
      ...(day.reason ? { reason: day.reason } : {}),
    };
  }

  /** Every device the viewer could book for the whole interval ("what's free at 3 pm?"). */
  @Public()
  @Get('availability')
  async free(
    @Query() query: FreeEquipmentQueryDto,
    @CurrentUser() user: User | undefined,
  ): Promise<EquipmentResponse[]> {
    const request = { start: parseInstant(query.start)!, end: parseInstant(query.end)! };
    const devices = await this.availability.freeDuring(
      request,
      query.category,
      { viewer: user ?? null },
      query.area,
    );
    const manuals = await this.equipment.manualLinks(devices.map((d) => d.id));
    return devices.map((d) => toEquipmentResponse(d, this.config.timezone, manuals.get(d.id)));
  }
}
