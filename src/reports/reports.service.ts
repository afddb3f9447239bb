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

/** The most bookings one export holds, and how many it reads at a time. */
export const EXPORT_LIMIT = 100_000;
const EXPORT_PAGE = 1_000;

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
   * patron and answers: the export a coordinator reads the booking questions from. It comes a
   * page at a time, so that no period is held in memory at once (a year of a busy lab would not
   * fit the server's heap), and stops after `EXPORT_LIMIT` bookings. Checks the period and the
   * area before the first page, so a bad request is refused before anything is sent.
   */
  async bookingPagesIn(
    from: string,
    to: string,
    area?: string,
  ): Promise<AsyncGenerator<BookingWithParties[]>> {
    if (from > to) throw new BadRequestException('from must not be after to');
    if (area !== undefined) await this.areas.get(area);
    const zone = this.config.timezone;
    const start = DateTime.fromISO(from, { zone }).startOf('day').toJSDate();
    const end = DateTime.fromISO(to, { zone }).plus({ days: 1 }).startOf('day').toJSDate();
    return this.pagesBetween(start, end, area);
  }

  /**
   * Pages keyed on the start: each page ends before the start of its last booking, and the next
   * page begins at that start, so bookings sharing a start are never split between two pages.
   */
  private async *pagesBetween(
    start: Date,
    end: Date,
    area?: string,
  ): AsyncGenerator<BookingWithParties[]> {
    let left = EXPORT_LIMIT;
    for (let from = start; left > 0;) {
      const page = await this.bookings.list({
        endsAfter: undefined,
        startsFrom: from,
        startsBefore: end,
        areaSlug: area,
        limit: EXPORT_PAGE,
        offset: 0,
      });
      if (page.length < EXPORT_PAGE) {
        if (page.length) yield page.slice(0, left);
        return;
      }
      const last = page[page.length - 1].start.getTime();
      let whole = page.filter((b) => b.start.getTime() < last);
      // A page of bookings that all start together (more than a lab has devices): take it whole.
      if (whole.length === 0) whole = page;
      from = new Date(whole === page ? last + 1 : last);
      whole = whole.slice(0, left);
      left -= whole.length;
      yield whole;
    }
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
