import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { toBookingResponse } from '../bookings/booking.response';
import { PreviewQueryDto } from '../bookings/dto/preview-query.dto';
import type { DisplacedBookings } from '../bookings/lab-changes';
import { CurrentUser, Public, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { CreateEquipmentDto } from './dto/create-equipment.dto';
import { EquipmentQueryDto } from './dto/equipment-query.dto';
import { UpdateEquipmentDto } from './dto/update-equipment.dto';
import { EquipmentResponse, toEquipmentResponses } from './equipment.response';
import type { Equipment } from './equipment.entity';
import { EquipmentService } from './equipment.service';
import { EquipmentChangeResponse } from './equipment.response';

@ApiTags('equipment')
@Controller('api/equipment')
export class EquipmentController {
  constructor(
    private readonly equipment: EquipmentService,
    private readonly config: AppConfig,
  ) {}

  /** The lab's stations and loan kits, optionally filtered. */
  @Public()
  @Get()
  async list(@Query() query: EquipmentQueryDto): Promise<EquipmentResponse[]> {
    return this.respond(await this.equipment.list(query));
  }

  /** One device, with its linked manuals. */
  @Public()
  @Get(':slug')
  async get(@Param('slug') slug: string): Promise<EquipmentResponse> {
    const [device] = await this.respond([await this.equipment.get(slug)]);
    return device;
  }

  @Roles('librarian')
  @Post()
  async create(
    @Body() dto: CreateEquipmentDto,
    @CurrentUser() librarian: User,
  ): Promise<EquipmentResponse> {
    const [device] = await this.respond([await this.equipment.create(dto, librarian)]);
    return device;
  }

  /**
   * Edit a device. Setting `status: "out_of_service"` displaces its live bookings from now on
   * and tells their patrons; `?preview=true` only lists them.
   */
  @Roles('librarian')
  @Patch(':slug')
  async update(
    @Param('slug') slug: string,
    @Body() dto: UpdateEquipmentDto,
    @Query() query: PreviewQueryDto,
    @CurrentUser() librarian: User,
  ): Promise<EquipmentChangeResponse> {
    const { device, displaced } = await this.equipment.change(slug, dto, librarian, query.preview);
    return this.withDisplaced(device, displaced);
  }

  /**
   * Retire a device: it leaves the catalog, its history stays, and its live bookings from now on
   * are displaced and their patrons told; `?preview=true` only lists them.
   */
  @Roles('librarian')
  @Delete(':slug')
  async retire(
    @Param('slug') slug: string,
    @Query() query: PreviewQueryDto,
    @CurrentUser() librarian: User,
  ): Promise<EquipmentChangeResponse> {
    const { device, displaced } = await this.equipment.retireDisplacing(
      slug,
      librarian,
      query.preview,
    );
    return this.withDisplaced(device, displaced);
  }

  private async withDisplaced(
    device: Equipment,
    displaced: DisplacedBookings,
  ): Promise<EquipmentChangeResponse> {
    const [response] = await this.respond([device]);
    return {
      ...response,
      displaced: displaced.map((b) => toBookingResponse(b, this.config.timezone)),
    };
  }

  private async respond(devices: Equipment[]): Promise<EquipmentResponse[]> {
    return toEquipmentResponses(this.equipment, devices, this.config.timezone);
  }
}
