import { AreasService } from '../areas/areas.service';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Param,
  Post,
  Req,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Roles } from '../common/decorators/auth.decorators';
import { AppConfig } from '../config/app-config';
import { CreateEquipmentDto } from '../equipment/dto/create-equipment.dto';
import { UpdateEquipmentDto } from '../equipment/dto/update-equipment.dto';
import type { Equipment } from '../equipment/equipment.entity';
import { type EquipmentResponse, toEquipmentResponses } from '../equipment/equipment.response';
import { EquipmentService } from '../equipment/equipment.service';
import { POLICY_KEYS } from '../equipment/policy';
import { MAX_IMAGE_BYTES } from '../images/image-format';
import { ImageTooLarge } from '../images/images.controller';
import { ImagesService } from '../images/images.service';
import { field, Pages, readForm } from './pages.service';
import { EQUIPMENT_WORDS, EquipmentAdminPage, EquipmentEditPage } from './views/admin-equipment';

/**
 * The form's flat text fields as the API's JSON shape: numbers as numbers, a ticked box as true,
 * one part per line, `policy.x` fields as the policy object (`policy.groups` separated by commas).
 */
export function equipmentFields(body: unknown, creating: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of [
    'name',
    'category',
    'area',
    'kind',
    'location',
    'description',
    'assetTag',
    'status',
  ])
    if (field(body, name) !== undefined) out[name] = field(body, name);
  if (creating && field(body, 'slug') !== undefined) out.slug = field(body, 'slug');
  out.requiresOrientation = field(body, 'requiresOrientation') === 'true';
  const minAge = field(body, 'minAge');
  if (minAge !== undefined) out.minAge = Number(minAge);
  const parts = field(body, 'parts');
  out.parts = parts
    ? parts
        .split(/\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean)
    : [];
  const policy: Record<string, number | string[] | boolean> = {};
  for (const key of POLICY_KEYS) {
    const value = field(body, `policy.${key}`);
    if (value !== undefined) policy[key] = Number(value);
  }
  // Groups separated by commas; the field left empty lets every group book.
  const groups = (body as Record<string, unknown> | undefined)?.['policy.groups'];
  if (typeof groups === 'string')
    policy.groups = groups
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
  for (const key of ['maxMinutesPerDay', 'approvalHours']) {
    const value = field(body, `policy.${key}`)?.trim();
    if (value) policy[key] = Number(value);
  }
  // The form always shows the box, so an unticked one means no approval needed.
  if (field(body, 'policy.slotMinutes') !== undefined)
    policy.requiresApproval = field(body, 'policy.requiresApproval') === 'true';
  if (Object.keys(policy).length) out.policy = policy;
  return out;
}

@ApiExcludeController()
@Roles('librarian')
@Controller('admin/equipment')
export class AdminEquipmentController {
  constructor(
    private readonly pages: Pages,
    private readonly equipment: EquipmentService,
    private readonly images: ImagesService,
    private readonly areas: AreasService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async list(@Req() req: Request, @Res() res: Response): Promise<void> {
    const [devices, categories, areas] = await Promise.all([
      this.equipment.list({ includeRetired: true }),
      this.equipment.listCategories(),
      this.areas.list(),
    ]);
    this.pages.send(
      res,
      <EquipmentAdminPage
        ctx={this.pages.context(req, res)}
        devices={await this.responses(devices)}
        categories={categories}
        areas={areas}
      />,
    );
  }

  @Post()
  async create(
    @Res() res: Response,
    @Body() body: unknown,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    await this.pages.act(
      res,
      { success: '/admin/equipment', failure: '/admin/equipment' },
      async () => {
        const dto = await readForm(CreateEquipmentDto, equipmentFields(body, true));
        const device = await this.equipment.create(dto, librarian);
        return { message: `${device.name} added.`, to: `/admin/equipment/${device.slug}` };
      },
      EQUIPMENT_WORDS,
    );
  }

  @Get(':slug')
  async edit(
    @Req() req: Request,
    @Res() res: Response,
    @Param('slug') slug: string,
  ): Promise<void> {
    const [[device], categories, areas] = await Promise.all([
      this.equipment.get(slug).then((d) => this.responses([d])),
      this.equipment.listCategories(),
      this.areas.list(),
    ]);
    this.pages.send(
      res,
      <EquipmentEditPage
        ctx={this.pages.context(req, res)}
        device={device}
        categories={categories}
        areas={areas}
      />,
    );
  }

  @Post(':slug')
  async update(
    @Res() res: Response,
    @Param('slug') slug: string,
    @Body() body: unknown,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const here = `/admin/equipment/${encodeURIComponent(slug)}`;
    await this.pages.act(
      res,
      { success: here, failure: here },
      async () => {
        const dto = await readForm(UpdateEquipmentDto, equipmentFields(body, false));
        const device = await this.equipment.update(slug, dto, librarian);
        return `${device.name} saved.`;
      },
      EQUIPMENT_WORDS,
    );
  }

  @Post(':slug/photo')
  @UseInterceptors(
    ImageTooLarge,
    FileInterceptor('file', {
      limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 1, parts: 2 },
    }),
  )
  async setPhoto(
    @Res() res: Response,
    @Param('slug') slug: string,
    @UploadedFile() file: { buffer: Buffer } | undefined,
    @Body() body: unknown,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const here = `/admin/equipment/${encodeURIComponent(slug)}`;
    await this.pages.act(res, { success: here, failure: here }, async () => {
      const alt = field(body, 'alt')?.trim();
      if (!alt)
        throw new BadRequestException(
          'Say what the photo shows: it is read to people who cannot see it.',
        );
      if (!file?.buffer) throw new BadRequestException('Choose an image file to upload.');
      await this.equipment.get(slug);
      const image = await this.images.store(file.buffer, librarian);
      const dto = await readForm(UpdateEquipmentDto, { photo: { src: image.url, alt } });
      const device = await this.equipment.update(slug, dto, librarian);
      return `The photo of ${device.name} is saved.`;
    });
  }

  @Post(':slug/photo/remove')
  async removePhoto(
    @Res() res: Response,
    @Param('slug') slug: string,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const here = `/admin/equipment/${encodeURIComponent(slug)}`;
    await this.pages.act(res, { success: here, failure: here }, async () => {
      const device = await this.equipment.update(slug, { photo: null }, librarian);
      return `The photo of ${device.name} is removed.`;
    });
  }

  @Post(':slug/retire')
  async retire(
    @Res() res: Response,
    @Param('slug') slug: string,
    @CurrentUser() librarian: User,
  ): Promise<void> {
    const here = `/admin/equipment/${encodeURIComponent(slug)}`;
    await this.pages.act(res, { success: '/admin/equipment', failure: here }, async () => {
      const device = await this.equipment.retire(slug, librarian);
      return `${device.name} is retired. Its history is kept.`;
    });
  }

  private responses(devices: Equipment[]): Promise<EquipmentResponse[]> {
    return toEquipmentResponses(this.equipment, devices, this.config.timezone);
  }
}
