import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Public, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { CreateEquipmentDto } from './dto/create-equipment.dto';
import { EquipmentQueryDto } from './dto/equipment-query.dto';
import { UpdateEquipmentDto } from './dto/update-equipment.dto';
import { EquipmentResponse, toEquipmentResponses } from './equipment.response';
import type { Equipment } from './equipment.entity';
import { EquipmentService } from './equipment.service';

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

  @Roles('librarian')
  @Patch(':slug')
  async update(
    @Param('slug') slug: string,
    @Body() dto: UpdateEquipmentDto,
    @CurrentUser() librarian: User,
  ): Promise<EquipmentResponse> {
    const [device] = await this.respond([await this.equipment.update(slug, dto, librarian)]);
    return device;
  }

  /** Retire a device: it leaves the catalog, its bookings and history stay. */
  @Roles('librarian')
  @Delete(':slug')
  async retire(
    @Param('slug') slug: string,
    @CurrentUser() librarian: User,
  ): Promise<EquipmentResponse> {
    const [device] = await this.respond([await this.equipment.retire(slug, librarian)]);
    return device;
  }

  private async respond(devices: Equipment[]): Promise<EquipmentResponse[]> {
    return toEquipmentResponses(this.equipment, devices, this.config.timezone);
  }
}
