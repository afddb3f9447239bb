import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import { Category } from '../equipment/category.entity';
import { Equipment } from '../equipment/equipment.entity';
import { effectivePolicy, policyProblems } from '../equipment/policy';
import { Closure } from '../hours/closure.entity';
import { weeklyProblems } from '../hours/hours.service';
import { WeeklyHours } from '../hours/weekly-hours.entity';
import { ManualsImporter } from '../manuals/manuals-importer.service';
import { readCatalog, readHours } from './seed-files';

const SEED_LOCK = 731_002;

export interface SeedReport {
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
  ): Promise<Pick<SeedReport, 'categories' | 'equipment'>> {
    if ((await manager.count(Category)) > 0) return { categories: 0, equipment: 0 };
    const catalog = readCatalog();
    const now = this.clock.now();
    await manager.insert(Category, catalog.categories);
    const byCategory = new Map(catalog.categories.map((c) => [c.slug, c]));
    const devices = catalog.equipment.map((d) => {
      const category = byCategory.get(d.category);
      if (!category)
        throw new Error(`seeds/catalog.json: ${d.slug} names unknown category ${d.category}`);
      const problems = policyProblems(effectivePolicy(category.policy, d.policy ?? null));
      if (problems.length) throw new Error(`seeds/catalog.json: ${d.slug}: ${problems.join('; ')}`);
      return {
        ...new Equipment(),
        slug: d.slug,
        name: d.name,
        categorySlug: d.category,
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
    return { categories: catalog.categories.length, equipment: devices.length };
  }

  private async seedHours(
    manager: EntityManager,
  ): Promise<Pick<SeedReport, 'weeklyIntervals' | 'closures'>> {
    if ((await manager.count(WeeklyHours)) > 0 || (await manager.count(Closure)) > 0)
      return { weeklyIntervals: 0, closures: 0 };
    const hours = readHours();
    const problems = weeklyProblems(hours.weekly);
    if (problems.length) throw new Error(`seeds/hours.json: ${problems.join('; ')}`);
    for (const interval of hours.weekly)
      await manager.insert(WeeklyHours, { ...new WeeklyHours(), ...interval });
    for (const closure of hours.closures)
      await manager.insert(Closure, { date: closure.date, reason: closure.reason });
    return { weeklyIntervals: hours.weekly.length, closures: hours.closures.length };
  }
}
