import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { CreateStaffDto, UpdateStaffDto } from './dto/secret.dto';
import { StaffService } from './staff.service';
import { StaffResponse, toStaffResponse } from './staff.response';
import type { User } from './user.entity';

@ApiTags('accounts')
@Roles('librarian')
@Controller('api/staff')
export class StaffController {
  constructor(
    private readonly staff: StaffService,
    private readonly config: AppConfig,
  ) {}

  /** Desk and librarian accounts. */
  @Get()
  async list(): Promise<StaffResponse[]> {
    return (await this.staff.list()).map((u) => toStaffResponse(u, this.config.timezone));
  }

  /** A new desk (`staff`) or librarian account; its set-password link (7 days) is e-mailed. */
  @Post()
  async create(@Body() dto: CreateStaffDto, @CurrentUser() actor: User): Promise<StaffResponse> {
    const { user } = await this.staff.create(dto, actor);
    return toStaffResponse(user, this.config.timezone);
  }

  /** Re-role, switch off (ends its sessions) or back on; never the last active librarian. */
  @Patch(':id')
  async update(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @Body() dto: UpdateStaffDto,
    @CurrentUser() actor: User,
  ): Promise<StaffResponse> {
    return toStaffResponse(await this.staff.update(id, dto, actor), this.config.timezone);
  }
}
