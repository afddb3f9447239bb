import { Injectable, NotFoundException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { CatalogCache } from '../database/catalog-version';
import { toDbInstant } from '../database/instant';
import { Equipment } from '../equipment/equipment.entity';
import { EquipmentService } from '../equipment/equipment.service';
import { Outage } from '../equipment/outage.entity';
import { HoursService } from '../hours/hours.service';
import type { Interval, OpeningDayFacts } from './rules';

/** Outages held per device reach this far back, for walk-ins booked into a slot already begun. */
const OUTAGES_LOOK_BACK_MS = 7 * 86_400_000;

/**
 * The booking path's reads of the catalog, the hours and the outages, held in memory between
 * changes (see `CatalogCache`). A thin layer over the owners' own reads: what it returns is what
 * they return. Its callers check the catalog version in their transaction (the booking engine
 * does as it locks the device), which drops whatever another instance's change made untrue.
 */
@Injectable()
export class LabCatalog {
  constructor(
    private readonly cache: CatalogCache,
    private readonly equipment: EquipmentService,
    private readonly hours: HoursService,
    private readonly clock: Clock,
  ) {}

  /** Takes the catalog version read in a transaction; returns whether what was held had to go. */
  observe(version: number): boolean {
    return this.cache.observe(version);
  }

  /** A device with its category and area, or a 404 naming it; `manager` when read inside a transaction. */
  device(slug: string, manager?: EntityManager): Promise<Equipment> {
    return this.cache.memo(`device:${slug}`, async () => {
      if (!manager) return this.equipment.get(slug);
      const device = await manager.findOne(Equipment, {
        where: { slug },
        relations: { category: true, area: true },
      });
      if (!device) throw new NotFoundException(`There is no equipment called "${slug}".`);
      return device;
    });
  }

  /** The opening hours and closure of one library-local date in one area. */
  async day(date: string, area: string, manager?: EntityManager): Promise<OpeningDayFacts> {
    const [day] = await this.cache.memo(`day:${area}:${date}`, () =>
      this.hours.days(date, date, manager, area),
    );
    return day;
  }

  /** The device's outages overlapping `time`, earliest first. */
  async outages(deviceId: string, time: Interval, manager: EntityManager): Promise<Outage[]> {
    const held = await this.cache.memo(`outages:${deviceId}`, async () => {
      const since = new Date(this.clock.now().getTime() - OUTAGES_LOOK_BACK_MS);
      return { since, list: await this.outagesOf(manager, deviceId, { start: since, end: null }) };
    });
    if (time.start < held.since) return this.outagesOf(manager, deviceId, time);
    return held.list.filter((o) => o.start < time.end && o.end > time.start);
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
