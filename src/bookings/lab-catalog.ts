import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { CatalogCache, readVersion } from '../database/catalog-version';
import { toDbInstant } from '../database/instant';
import { Equipment } from '../equipment/equipment.entity';
import type { EquipmentQueryDto } from '../equipment/dto/equipment-query.dto';
import { EquipmentService } from '../equipment/equipment.service';
import { Outage } from '../equipment/outage.entity';
import { HoursService } from '../hours/hours.service';
import type { OpeningDay } from '../hours/hours.service';
import { overlaps } from './availability';
import type { Interval, OpeningDayFacts } from './rules';

/** Outages held per device reach this far back, for walk-ins booked into a slot already begun. */
const OUTAGES_LOOK_BACK_MS = 7 * 86_400_000;

/**
 * The booking path's and availability's reads of the catalog, the hours and the outages, held in
 * memory between changes (see `CatalogCache`). A thin layer over the owners' own reads: what it
 * returns is what they return. Its callers check the catalog version first, which drops whatever
 * another instance's change made untrue: the booking engine in its transaction as it locks the
 * device, reads with `refresh` (on PostgreSQL, the version announced as each change commits).
 */
@Injectable()
export class LabCatalog {
  constructor(
    private readonly cache: CatalogCache,
    private readonly equipment: EquipmentService,
    private readonly hours: HoursService,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Takes the catalog version read in a transaction; returns whether what was held had to go. */
  observe(version: number): boolean {
    return this.cache.observe(version);
  }

  /**
   * For a read outside any transaction: checks the catalog version (one row by its key), unless
   * every new version is being heard as it commits (PostgreSQL, see `CatalogListener`).
   */
  async refresh(): Promise<void> {
    if (this.cache.hears) return;
    this.cache.observe(await readVersion(this.dataSource.manager));
  }

  /** The devices `GET /api/equipment` would list for this filter, with category and area. */
  devices(query: Pick<EquipmentQueryDto, 'category' | 'area'>): Promise<Equipment[]> {
    return this.cache.memo(`devices:${query.category ?? ''}:${query.area ?? ''}`, () =>
      this.equipment.list({ category: query.category, area: query.area }),
    );
  }

  /** `HoursService.daysOfAreas`: each area's opening days from `from` to `to`. */
  async daysOfAreas(from: string, to: string, areas: string[]): Promise<Map<string, OpeningDay[]>> {
    const wanted = [...new Set(areas)];
    const days = await Promise.all(
      wanted.map((area) =>
        this.cache.memo(`days:${area}:${from}:${to}`, () =>
          this.hours.days(from, to, undefined, area),
        ),
      ),
    );
    return new Map(wanted.map((area, i) => [area, days[i]]));
  }

  /** A device with its category and area, or a 404 naming it; `manager` when read inside a transaction. */
  device(slug: string, manager?: EntityManager): Promise<Equipment> {
    return this.cache.memo(
      `device:${slug}`,
      async () => {
        if (!manager) return this.equipment.get(slug);
        const device = await manager.findOne(Equipment, {
          where: { slug },
          relations: { category: true, area: true },
        });
        if (!device) throw new NotFoundException(`There is no equipment called "${slug}".`);
        return device;
      },
      inTransaction(manager),
    );
  }

  /** The opening hours and closure of one library-local date in one area. */
  async day(date: string, area: string, manager?: EntityManager): Promise<OpeningDayFacts> {
    const [day] = await this.cache.memo(
      `day:${area}:${date}`,
      () => this.hours.days(date, date, manager, area),
      inTransaction(manager),
    );
    return day;
  }

  /** The device's outages overlapping `time`, earliest first. */
  async outages(
    deviceId: string,
    time: Interval,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Outage[]> {
    const held = await this.cache.memo(
      `outages:${deviceId}`,
      async () => {
        const since = new Date(this.clock.now().getTime() - OUTAGES_LOOK_BACK_MS);
        return {
          since,
          list: await this.outagesOf(manager, deviceId, { start: since, end: null }),
        };
      },
      inTransaction(manager),
    );
    if (time.start < held.since) return this.outagesOf(manager, deviceId, time);
    return held.list.filter((o) => overlaps(o, time));
  }

  private outagesOf(
    manager: EntityManager,
    deviceId: string,
    time: { start: Date; end: Date | null },
  ): Promise<Outage[]> {
    const query = manager
      .createQueryBuilder(Outage, 'o')
      .where('o.equipment_id = :device', { device: deviceId })
      .andWhere('o.end_at > :start', { start: toDbInstant(time.start) })
      .orderBy('o.start_at');
    if (time.end) query.andWhere('o.start_at < :end', { end: toDbInstant(time.end) });
    return query.getMany();
  }
}

/** Whether `manager` reads on a transaction's own connection. */
function inTransaction(manager: EntityManager | undefined): boolean {
  return manager?.queryRunner !== undefined;
}
