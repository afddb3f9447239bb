import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { Area, MAIN_AREA } from '../areas/area.entity';
import { AreasService } from '../areas/areas.service';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import { Category } from '../equipment/category.entity';
import { Equipment } from '../equipment/equipment.entity';
import { effectivePolicy, policyProblems } from '../equipment/policy';
import { Closure, WHOLE_LIBRARY } from '../hours/closure.entity';
import { weeklyProblems } from '../hours/hours.service';
import { WeeklyHours } from '../hours/weekly-hours.entity';
import { ManualsImporter } from '../manuals/manuals-importer.service';
import { type HoursFile, readCatalog, readHours } from './seed-files';

const SEED_LOCK = 731_002;

export interface SeedReport {
  areas: number;
  categories: number;
  equipment: number;
  weeklyIntervals: number;
  closures: number;
  manuals?: number;
}

/** Loads `seeds/` into an empty database on start; running it again changes nothing. */
@Injectable()
export class SeedService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SeedService.name);

  constructor(
    private readonly writes: WriteTransactionService,
    private readonly accounts: AccountsService,
    private readonly manuals: ManualsImporter,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly areas: AreasService,
  ) {}

  /** What the start-up seeding loaded. */
  loadedAtStart: SeedReport | null = null;

  async onApplicationBootstrap(): Promise<void> {
    const report = await this.seed();
    this.loadedAtStart = report;
    if (report.equipment || report.weeklyIntervals)
      this.logger.log(`Loaded seeds: ${JSON.stringify(report)}`);
  }

  async seed(): Promise<SeedReport> {
    const report = await this.writes.run(async (manager) => {
      // Several instances may start together on one Postgres: the first seeds, the rest wait and see it done.
      if (this.writes.onPostgres)
        await manager.query('SELECT pg_advisory_xact_lock($1)', [SEED_LOCK]);
      return { ...(await this.seedCatalog(manager)), ...(await this.seedHours(manager)) };
    });
    // Manuals link to the catalog's devices, so they come after it.
    const manuals = await this.manuals.importIfEmpty();
    if (this.config.demoUsers) await this.accounts.ensureDemoUsers();
    return { ...report, manuals: manuals?.added.length ?? 0 };
  }

  private async seedCatalog(
    manager: EntityManager,
  ): Promise<Pick<SeedReport, 'areas' | 'categories' | 'equipment'>> {
    if ((await manager.count(Category)) > 0) return { areas: 0, categories: 0, equipment: 0 };
    const catalog = readCatalog();
    const now = this.clock.now();
    const areas = await this.areas.addMissing(manager, catalog.areas);
    const knownAreas = new Set([MAIN_AREA, ...catalog.areas.map((a) => a.slug)]);
    await manager.insert(Category, catalog.categories);
    const byCategory = new Map(catalog.categories.map((c) => [c.slug, c]));
    const devices = catalog.equipment.map((d) => {
      const category = byCategory.get(d.category);
      if (!category)
        throw new Error(`seeds/catalog.json: ${d.slug} names unknown category ${d.category}`);
      if (d.area && !knownAreas.has(d.area))
        throw new Error(`seeds/catalog.json: ${d.slug} names unknown area ${d.area}`);
      const problems = policyProblems(effectivePolicy(category.policy, d.policy ?? null));
      if (problems.length) throw new Error(`seeds/catalog.json: ${d.slug}: ${problems.join('; ')}`);
      return {
        ...new Equipment(),
        slug: d.slug,
        name: d.name,
        categorySlug: d.category,
        areaSlug: d.area ?? MAIN_AREA,
        kind: d.kind,
        status: 'available' as const,
        location: d.location ?? '',
        description: d.description ?? '',
        requiresOrientation: d.requiresOrientation ?? false,
        minAge: d.minAge ?? 0,
        policyOverrides: d.policy && Object.keys(d.policy).length ? { ...d.policy } : null,
        assetTag: d.assetTag ?? null,
        parts: d.parts ?? null,
        createdAt: now,
        updatedAt: now,
        retiredAt: null,
      };
    });
    for (const device of devices) await manager.insert(Equipment, device);
    return { areas, categories: catalog.categories.length, equipment: devices.length };
  }

  private async seedHours(
    manager: EntityManager,
  ): Promise<Pick<SeedReport, 'weeklyIntervals' | 'closures'>> {
    if ((await manager.count(WeeklyHours)) > 0 || (await manager.count(Closure)) > 0)
      return { weeklyIntervals: 0, closures: 0 };
    const hours = readHours();
    const weeks = { [MAIN_AREA]: hours.weekly, ...mapWeeks(hours.areas) };
    let weeklyIntervals = 0;
    for (const [area, weekly] of Object.entries(weeks)) {
      const problems = weeklyProblems(weekly);
      if (problems.length) throw new Error(`seeds/hours.json ${area}: ${problems.join('; ')}`);
      // An area the catalog did not bring (a database seeded before it) keeps no hours.
      if (area !== MAIN_AREA && !(await manager.existsBy(Area, { slug: area }))) continue;
      for (const interval of weekly)
        await manager.insert(WeeklyHours, { ...new WeeklyHours(), ...interval, areaSlug: area });
      weeklyIntervals += weekly.length;
    }
    for (const closure of hours.closures)
      await manager.insert(Closure, {
        date: closure.date,
        areaSlug: WHOLE_LIBRARY,
        reason: closure.reason,
      });
    return { weeklyIntervals, closures: hours.closures.length };
  }
}

function mapWeeks(areas: HoursFile['areas']): Record<string, HoursFile['weekly']> {
  return Object.fromEntries(Object.entries(areas).map(([slug, { weekly }]) => [slug, weekly]));
}
