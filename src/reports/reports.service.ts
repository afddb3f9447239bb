import { BadRequestException, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { PatronGroupsService } from '../accounts/patron-groups.service';
import { AreasService } from '../areas/areas.service';
import { BookingsRepository, type BookingWithParties } from '../bookings/bookings.repository';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { EquipmentService } from '../equipment/equipment.service';
import { HoursService } from '../hours/hours.service';
import {
  groupFigures,
  GroupUsage,
  HELD_STATUSES,
  LoanFigures,
  loanFigures,
  UsageFigures,
  usageFigures,
  UsageLoan,
} from './usage';

export interface DeviceUsage extends UsageFigures, LoanFigures {
  equipment: string;
  name: string;
  category: string;
  kind: string;
}

export interface CategoryUsage extends UsageFigures, LoanFigures {
  category: string;
  devices: number;
}

export interface UsageReport {
  from: string;
  to: string;
  timezone: string;
  devices: DeviceUsage[];
  categories: CategoryUsage[];
  /** Bookings by patron group (each patron counted in the group they are in today). */
  groups: GroupUsage[];
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly equipment: EquipmentService,
    private readonly hours: HoursService,
    private readonly areas: AreasService,
    private readonly patronGroups: PatronGroupsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Usage of every device over whole local dates. Bookings count when they start in the period;
   * their hours count only inside it. Stations are measured against opening hours, loan kits
   * against every hour of the period (they are out of the building round the clock). Loans
   * count when the kit was handed over in the period, days late when they fall in it.
   */
  /**
   * Every booking starting in the period (local dates, inclusive), oldest first, with its device,
   * patron and answers: the export a coordinator reads the booking questions from.
   */
  async bookingsIn(from: string, to: string, area?: string): Promise<BookingWithParties[]> {
    if (from > to) throw new BadRequestException('from must not be after to');
    if (area !== undefined) await this.areas.get(area);
    const zone = this.config.timezone;
    return this.bookings.list({
      endsAfter: undefined,
      startsFrom: DateTime.fromISO(from, { zone }).startOf('day').toJSDate(),
      startsBefore: DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf('day').toJSDate(),
      areaSlug: area,
      limit: 100_000,
      offset: 0,
    });
  }

  /** `usage`, of one area's devices when `area` is given. */
  async usage(from: string, to: string, area?: string): Promise<UsageReport> {
    if (from > to) throw new BadRequestException('from must not be after to');
    const zone = this.config.timezone;
    const period = {
      start: DateTime.fromISO(from, { zone }).startOf('day').toJSDate(),
      end: DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf('day').toJSDate(),
    };
    if (area !== undefined) await this.areas.get(area);
    const devices = await this.equipment.list({ includeRetired: true, area });
    // Stations are measured against their own area's opening hours.
    const daysOf = await this.hours.daysOfAreas(
      from,
      to,
      devices.map((d) => d.areaSlug),
    );
    const openHours = new Map(
      [...daysOf].map(([slug, days]) => [
        slug,
        days.reduce(
          (sum, d) =>
            sum + d.open.reduce((s, o) => s + (o.end.getTime() - o.start.getTime()) / 3_600_000, 0),
          0,
        ),
      ]),
    );
    const allHours = (period.end.getTime() - period.start.getTime()) / 3_600_000;
    const hoursOf = (d: (typeof devices)[number]) =>
      d.kind === 'loan' ? allHours : (openHours.get(d.areaSlug) ?? 0);
    const perDeviceTotals = await this.bookings.usageTotals(period, 'equipment', area);
    const devicePatrons = await this.bookings.patronsCounted(
      period,
      [...HELD_STATUSES],
      'equipment',
      area,
    );
    const categoryPatrons = await this.bookings.patronsCounted(
      period,
      [...HELD_STATUSES],
      'category',
      area,
    );
    const perPatronTotals = await this.bookings.usageTotals(period, 'patron', area);
    const loans = await this.loansTouching(period);
    const now = this.clock.now();
    const loansOf = (ids: Set<string>) =>
      loanFigures(
        loans.filter((l) => ids.has(l.equipmentId)),
        { ...period, from, to },
        now,
        zone,
      );
    const totalsOf = (ids: Set<string>) => perDeviceTotals.filter((t) => ids.has(t.key));
    const perDevice = devices
      .filter((d) => d.status !== 'retired' || perDeviceTotals.some((t) => t.key === d.id))
      .map((d) => ({
        equipment: d.slug,
        name: d.name,
        category: d.categorySlug,
        kind: d.kind,
        ...usageFigures(totalsOf(new Set([d.id])), devicePatrons.get(d.id) ?? 0, hoursOf(d)),
        ...loansOf(new Set([d.id])),
      }));
    const categories = [...new Set(perDevice.map((d) => d.category))].sort().map((category) => {
      const members = devices.filter(
        (d) => d.categorySlug === category && perDevice.some((p) => p.equipment === d.slug),
      );
      const ids = new Set(members.map((d) => d.id));
      const open = members.reduce((sum, d) => sum + hoursOf(d), 0);
      return {
        category,
        devices: members.length,
        ...usageFigures(totalsOf(ids), categoryPatrons.get(category) ?? 0, open),
        ...loansOf(ids),
      };
    });
    const groups = await this.patronGroups.groupsById(perPatronTotals.map((t) => t.key));
    return {
      from,
      to,
      timezone: zone,
      devices: perDevice,
      categories,
      groups: groupFigures(perPatronTotals, (id) => groups.get(id) ?? 'unknown'),
    };
  }

  /** Kits handed over before the period ends and not back before it starts. */
  private async loansTouching(period: { start: Date; end: Date }): Promise<UsageLoan[]> {
    const rows = await this.bookings.loansTouching(period);
    return rows.map((b) => ({
      equipmentId: b.equipmentId,
      checkedOutAt: b.checkedInAt!,
      end: b.end,
      returnedAt: b.status === 'completed' ? b.completedAt : null,
    }));
  }
}
