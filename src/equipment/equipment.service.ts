import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { AreasService } from '../areas/areas.service';
import { AuditService } from '../audit/audit.service';
import { DisplacedBookings, LAB_CHANGES, type LabChanges } from '../bookings/lab-changes';
import { Clock } from '../common/clock';
import { queryNamed } from '../database/named-query';
import { WriteTransactionService } from '../database/write-transaction.service';
import { ImagesService } from '../images/images.service';
import { Category } from './category.entity';
import { CreateEquipmentDto } from './dto/create-equipment.dto';
import { EquipmentQueryDto } from './dto/equipment-query.dto';
import { UpdateEquipmentDto } from './dto/update-equipment.dto';
import { Equipment } from './equipment.entity';
import type { ManualLink } from './equipment.response';
import { ManualLinksCache } from './manual-links-cache';
import {
  BookingPolicy,
  effectivePolicy,
  OPTIONAL_POLICY_KEYS,
  POLICY_KEYS,
  policyProblems,
} from './policy';

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A published revision's content, as far as the device's walkthrough links need it. */
interface ManualContentText {
  title: string;
}

/** Titles of published revisions, by revision id (see `revisionTitles`). */
const REVISION_TITLES = new Map<string, string>();
const MAX_REVISION_TITLES = 5_000;

@Injectable()
export class EquipmentService {
  constructor(
    @InjectRepository(Equipment) private readonly devices: Repository<Equipment>,
    @InjectRepository(Category) private readonly categories: Repository<Category>,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly images: ImagesService,
    private readonly clock: Clock,
    private readonly moduleRef: ModuleRef,
    private readonly areas: AreasService,
    private readonly links: ManualLinksCache,
  ) {}

  /** Bookings' handling of changes that take booked time away (looked up: bookings imports this). */
  private get labChanges(): LabChanges {
    return this.moduleRef.get<LabChanges>(LAB_CHANGES, { strict: false });
  }

  list(query: EquipmentQueryDto): Promise<Equipment[]> {
    const builder = this.devices
      .createQueryBuilder('e')
      .innerJoinAndSelect('e.category', 'c')
      .leftJoinAndSelect('e.area', 'a')
      .orderBy('c.name')
      .addOrderBy('e.name');
    if (!query.includeRetired) builder.andWhere("e.status <> 'retired'");
    if (query.category)
      builder.andWhere('e.category_slug = :category', { category: query.category });
    if (query.area) builder.andWhere('e.area_slug = :area', { area: query.area });
    if (query.kind) builder.andWhere('e.kind = :kind', { kind: query.kind });
    for (const [index, word] of (query.q ?? '')
      .toLowerCase()
      .split(/\s+/)
      .filter(Boolean)
      .entries()) {
      builder.andWhere(
        `(LOWER(e.name) LIKE :w${index} ESCAPE '\\' OR LOWER(e.description) LIKE :w${index} ESCAPE '\\' OR LOWER(e.location) LIKE :w${index} ESCAPE '\\' OR LOWER(c.name) LIKE :w${index} ESCAPE '\\')`,
        { [`w${index}`]: `%${escapeLike(word)}%` },
      );
    }
    return builder.getMany();
  }

  async get(slug: string): Promise<Equipment> {
    const device = await this.devices.findOne({
      where: { slug },
      relations: { category: true, area: true },
    });
    if (!device) throw new NotFoundException(`There is no equipment called "${slug}".`);
    return device;
  }

  /**
   * The published walkthroughs of each device, by device id. The links are written by the
   * manuals feature when it publishes; here they are only read, all at once, and held
   * (`ManualLinksCache`).
   */
  async manualLinks(deviceIds: string[]): Promise<Map<string, ManualLink[]>> {
    if (deviceIds.length === 0) return new Map();
    const all = await this.links.all(() => this.readManualLinks());
    return new Map(deviceIds.map((id) => [id, all.get(id) ?? []]));
  }

  private async readManualLinks(): Promise<Map<string, ManualLink[]>> {
    const manager = this.devices.manager;
    const rows = await queryNamed<{ equipment_id: string; slug: string; revision_id: string }>(
      manager,
      `SELECT me.equipment_id, m.slug, r.id AS revision_id
       FROM manual_equipment me
       INNER JOIN manuals m ON m.id = me.manual_id
       INNER JOIN manual_revisions r ON r.manual_id = m.id AND r.number = m.published_revision
       ORDER BY m.slug`,
      {},
    );
    const titles = await this.revisionTitles(
      rows.map((r) => r.revision_id),
      manager,
    );
    const links = new Map<string, ManualLink[]>();
    for (const row of rows) {
      const link = { slug: row.slug, title: titles.get(row.revision_id)! };
      const device = links.get(row.equipment_id);
      if (device) device.push(link);
      else links.set(row.equipment_id, [link]);
    }
    return links;
  }

  /**
   * The titles of published revisions, by id. A revision is never changed once written, so its
   * title is read (and its content parsed) once; the set held is bounded.
   */
  private async revisionTitles(
    ids: string[],
    manager: EntityManager,
  ): Promise<Map<string, string>> {
    const missing = [...new Set(ids)].filter((id) => !REVISION_TITLES.has(id));
    if (missing.length) {
      const rows = await queryNamed<{ id: string; content: string }>(
        manager,
        'SELECT r.id, r.content FROM manual_revisions r WHERE r.id IN (:...ids)',
        { ids: missing },
      );
      if (REVISION_TITLES.size + rows.length > MAX_REVISION_TITLES) REVISION_TITLES.clear();
      for (const row of rows) {
        // A simple-json column: the content is its JSON text.
        REVISION_TITLES.set(row.id, (JSON.parse(row.content) as ManualContentText).title);
      }
    }
    return new Map(ids.map((id) => [id, REVISION_TITLES.get(id)!]));
  }

  /** The device carrying an asset tag, however the desk typed its letters; null if none does. */
  findByAssetTag(tag: string): Promise<Equipment | null> {
    return this.devices
      .createQueryBuilder('e')
      .innerJoinAndSelect('e.category', 'c')
      .leftJoinAndSelect('e.area', 'a')
      .where('UPPER(e.asset_tag) = UPPER(:tag)', { tag: tag.trim() })
      .getOne();
  }

  async getById(id: string): Promise<Equipment> {
    const device = await this.devices.findOne({
      where: { id },
      relations: { category: true, area: true },
    });
    if (!device) throw new NotFoundException('There is no such equipment.');
    return device;
  }

  listCategories(): Promise<Category[]> {
    return this.categories.find({ order: { name: 'ASC' } });
  }

  async create(dto: CreateEquipmentDto, by: User): Promise<Equipment> {
    const category = await this.category(dto.category);
    const area = await this.areas.get(dto.area);
    const overrides = this.checkedOverrides(category.policy, null, dto.policy);
    const photo = await this.checkedPhoto(dto.photo);
    const now = this.clock.now();
    await this.writes.run(async (manager) => {
      if (await manager.existsBy(Equipment, { slug: dto.slug }))
        throw new ConflictException(`Equipment "${dto.slug}" already exists.`);
      if (dto.assetTag && (await manager.existsBy(Equipment, { assetTag: dto.assetTag }))) {
        throw new ConflictException(`Asset tag ${dto.assetTag} is already on another device.`);
      }
      await manager.insert(Equipment, {
        ...new Equipment(),
        slug: dto.slug,
        name: dto.name,
        categorySlug: category.slug,
        areaSlug: area.slug,
        kind: dto.kind,
        status: 'available',
        location: dto.location ?? '',
        description: dto.description ?? '',
        requiresOrientation: dto.requiresOrientation ?? false,
        minAge: dto.minAge ?? 0,
        policyOverrides: overrides,
        assetTag: dto.assetTag ?? null,
        parts: dto.parts ?? null,
        ...photo,
        createdAt: now,
        updatedAt: now,
        retiredAt: null,
      });
      await this.audit.record(manager, by, {
        action: 'equipment.created',
        subjectType: 'equipment',
        subject: dto.slug,
      });
    });
    return this.get(dto.slug);
  }

  async update(slug: string, dto: UpdateEquipmentDto, by: User): Promise<Equipment> {
    return (await this.change(slug, dto, by)).device;
  }

  /**
   * Edits a device. Setting it out of service displaces its live bookings from now on, in the
   * same write transaction; a preview rolls it all back and returns the device unchanged.
   */
  async change(
    slug: string,
    dto: UpdateEquipmentDto,
    by: User,
    preview = false,
  ): Promise<{ device: Equipment; displaced: DisplacedBookings }> {
    const device = await this.get(slug);
    if (device.status === 'retired')
      throw new ConflictException(`${device.name} is retired and can no longer be changed.`);
    const category = dto.category ? await this.category(dto.category) : device.category;
    const areaSlug = dto.area ? (await this.areas.get(dto.area)).slug : device.areaSlug;
    const overrides = this.checkedOverrides(category.policy, device.policyOverrides, dto.policy);
    const photo = dto.photo === undefined ? {} : await this.checkedPhoto(dto.photo);
    const { policy: _policy, category: _category, photo: _photo, area: _area, ...fields } = dto;
    const goesOut = dto.status === 'out_of_service' && device.status !== 'out_of_service';
    const { displaced } = await this.labChanges.apply(
      preview,
      by,
      async (manager) => {
        if (
          dto.assetTag &&
          dto.assetTag !== device.assetTag &&
          (await manager.existsBy(Equipment, { assetTag: dto.assetTag }))
        ) {
          throw new ConflictException(`Asset tag ${dto.assetTag} is already on another device.`);
        }
        await manager.update(
          Equipment,
          { id: device.id },
          {
            ...fields,
            ...photo,
            categorySlug: category.slug,
            areaSlug,
            policyOverrides: overrides,
            updatedAt: this.clock.now(),
          },
        );
        await this.audit.record(manager, by, {
          action: 'equipment.changed',
          subjectType: 'equipment',
          subject: slug,
          details: { fields: Object.keys(dto).join(', ') },
        });
      },
      () =>
        goesOut
          ? {
              kind: 'out_of_service',
              deviceId: device.id,
              reason: `${device.name} is out of service.`,
            }
          : null,
    );
    return { device: await this.get(slug), displaced };
  }

  /** Retire: the device leaves the catalog but its history stays. */
  async retire(slug: string, by: User): Promise<Equipment> {
    return (await this.retireDisplacing(slug, by)).device;
  }

  /**
   * Retires a device and displaces its live bookings from now on, in one write transaction; a
   * preview rolls it all back and returns the device unchanged.
   */
  async retireDisplacing(
    slug: string,
    by: User,
    preview = false,
  ): Promise<{ device: Equipment; displaced: DisplacedBookings }> {
    const device = await this.get(slug);
    if (device.status === 'retired') return { device, displaced: [] };
    const now = this.clock.now();
    const { displaced } = await this.labChanges.apply(
      preview,
      by,
      async (manager) => {
        await manager.update(
          Equipment,
          { id: device.id },
          { status: 'retired', retiredAt: now, updatedAt: now },
        );
        await this.audit.record(manager, by, {
          action: 'equipment.retired',
          subjectType: 'equipment',
          subject: slug,
        });
      },
      () => ({ kind: 'retired', deviceId: device.id, reason: `${device.name} has been retired.` }),
    );
    return { device: await this.get(slug), displaced };
  }

  /** The photo's columns; its image must have been uploaded here. */
  private async checkedPhoto(
    photo: { src: string; alt: string } | null | undefined,
  ): Promise<{ photoSrc: string | null; photoAlt: string | null }> {
    if (!photo) return { photoSrc: null, photoAlt: null };
    if ((await this.images.missing([photo.src])).length)
      throw new BadRequestException(
        'photo.src names no uploaded image: upload it to /api/images first',
      );
    return { photoSrc: photo.src, photoAlt: photo.alt };
  }

  private async category(slug: string): Promise<Category> {
    const category = await this.categories.findOneBy({ slug });
    if (category) return category;
    const known = (await this.listCategories()).map((c) => c.slug).join(', ');
    throw new BadRequestException(`category must be one of: ${known}`);
  }

  /** Merges new policy settings into the old overrides and refuses a policy that cannot work. */
  private checkedOverrides(
    defaults: BookingPolicy,
    current: Partial<BookingPolicy> | null,
    changes: Partial<BookingPolicy> | undefined,
  ): Partial<BookingPolicy> | null {
    const merged: Record<string, unknown> = { ...(current ?? {}) };
    for (const key of [...POLICY_KEYS, ...OPTIONAL_POLICY_KEYS])
      if (changes?.[key] !== undefined) merged[key] = changes[key];
    if (changes?.questions !== undefined) merged.questions = changes.questions;
    if (changes?.terms !== undefined) merged.terms = changes.terms;
    if (changes?.groups !== undefined) {
      if (changes.groups.length) merged.groups = [...new Set(changes.groups)];
      else delete merged.groups;
    }
    const problems = policyProblems(effectivePolicy(defaults, merged));
    if (problems.length) throw new BadRequestException(problems.join('; '));
    return Object.keys(merged).length ? merged : null;
  }
}
