import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { CreateEquipmentDto } from './dto/create-equipment.dto';
import { EquipmentQueryDto } from './dto/equipment-query.dto';
import { UpdateEquipmentDto } from './dto/update-equipment.dto';
import { EquipmentResponse, toEquipmentResponse } from './equipment.response';
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
    const devices = await this.equipment.list(query);
    return devices.map((device) => toEquipmentResponse(device, this.config.timezone));
  }

  /** One device, with its linked manuals. */
  @Public()
  @Get(':slug')
  async get(@Param('slug') slug: string): Promise<EquipmentResponse> {
    return toEquipmentResponse(await this.equipment.get(slug), this.config.timezone);
  }

  @Roles('librarian')
  @Post()
  async create(@Body() dto: CreateEquipmentDto): Promise<EquipmentResponse> {
    return toEquipmentResponse(await this.equipment.create(dto), this.config.timezone);
  }

  @Roles('librarian')
  @Patch(':slug')
  async update(
    @Param('slug') slug: string,
    @Body() dto: UpdateEquipmentDto,
  ): Promise<EquipmentResponse> {
    return toEquipmentResponse(await this.equipment.update(slug, dto), this.config.timezone);
  }

  /** Retire a device: it leaves the catalog, its bookings and history stay. */
  @Roles('librarian')
  @Delete(':slug')
  async retire(@Param('slug') slug: string): Promise<EquipmentResponse> {
    return toEquipmentResponse(await this.equipment.retire(slug), this.config.timezone);
  }
}
