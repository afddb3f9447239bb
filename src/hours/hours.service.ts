import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Between, EntityManager, In, Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { MAIN_AREA } from '../areas/area.entity';
import { AreasService } from '../areas/areas.service';
import { AuditService } from '../audit/audit.service';
import { DisplacedBookings, LAB_CHANGES, type LabChanges } from '../bookings/lab-changes';
import { datesBetween } from '../common/time';
import { houseStyle } from '../common/house-style';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import { Closure, WHOLE_LIBRARY } from './closure.entity';
import { OpeningIntervalDto } from './dto/hours.dto';
import { WeeklyHours } from './weekly-hours.entity';

export interface Interval {
  start: Date;
  end: Date;
}

export interface OpeningDay {
  date: string;
  weekday: number;
  /** Library-local wall-clock intervals, `HH:mm`. */
  hours: { opens: string; closes: string }[];
  /** The same intervals as instants. */
  open: Interval[];
  closure: string | null;
}

export const MAX_RANGE_DAYS = 366;

type WeeklyIntervals = { weekday: number; opens: string; closes: string }[];

@Injectable()
export class HoursService {
  constructor(
    @InjectRepository(WeeklyHours) private readonly weekly: Repository<WeeklyHours>,
    @InjectRepository(Closure) private readonly closures: Repository<Closure>,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
    private readonly areas: AreasService,
  ) {}

  /** Bookings' handling of changes that take booked time away (looked up: bookings imports hours). */
  private get labChanges(): LabChanges {
    return this.moduleRef.get<LabChanges>(LAB_CHANGES, { strict: false });
  }

  get zone(): string {
    return this.config.timezone;
  }

  weeklyHours(area: string = MAIN_AREA): Promise<WeeklyHours[]> {
    return this.weekly.find({ where: { areaSlug: area }, order: { weekday: 'ASC', opens: 'ASC' } });
  }

  /**
   * One entry per local date from `from` to `to`, an area's closures and the whole library's
   * applied (the lab's, `dml`, unless another area is named). Inside a write transaction, pass its
   * manager: on Postgres a read on another pooled connection while the transaction holds one can
   * exhaust the pool under load.
   */
  async days(
    from: string,
    to: string,
    manager?: EntityManager,
    area: string = MAIN_AREA,
  ): Promise<OpeningDay[]> {
    return (await this.daysOfAreas(from, to, [area], manager)).get(area)!;
  }

  /** `days` for several areas at once, by area slug, with one read of the hours and closures. */
  async daysOfAreas(
    from: string,
    to: string,
    areas: string[],
    manager?: EntityManager,
  ): Promise<Map<string, OpeningDay[]>> {
    if (from > to) throw new BadRequestException('from must not be after to');
    const span = DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days;
    if (span >= MAX_RANGE_DAYS)
      throw new BadRequestException(`from and to may be at most ${MAX_RANGE_DAYS} days apart`);
    const wanted = [...new Set(areas)];
    if (wanted.length === 0) return new Map();
    const weekly = await (manager?.getRepository(WeeklyHours) ?? this.weekly).find({
      where: { areaSlug: In(wanted) },
      order: { weekday: 'ASC', opens: 'ASC' },
    });
    const closures = await (manager?.getRepository(Closure) ?? this.closures).findBy({
      date: Between(from, to),
      areaSlug: In([WHOLE_LIBRARY, ...wanted]),
    });
    const dates = datesBetween(from, to);
    return new Map(
      wanted.map((area) => {
        const own = weekly.filter((w) => w.areaSlug === area);
        // A whole-library closure's reason wins over an area's own on the same date.
        const closed = new Map<string, string>();
        for (const c of closures) if (c.areaSlug === area) closed.set(c.date, c.reason);
        for (const c of closures) if (c.areaSlug === WHOLE_LIBRARY) closed.set(c.date, c.reason);
        return [area, dates.map((date) => this.day(date, own, closed.get(date) ?? null))];
      }),
    );
  }

  async openIntervals(date: string, area: string = MAIN_AREA): Promise<Interval[]> {
    const [day] = await this.days(date, date, undefined, area);
    return day.open;
  }

  private day(date: string, weekly: WeeklyHours[], closure: string | null): OpeningDay {
    const weekday = DateTime.fromISO(date, { zone: this.zone }).weekday;
    const hours = closure
      ? []
      : weekly.filter((w) => w.weekday === weekday).map(({ opens, closes }) => ({ opens, closes }));
    return {
      date,
      weekday,
      hours,
      open: hours.map(({ opens, closes }) => ({
        start: this.instant(date, opens),
        end: this.instant(date, closes),
      })),
      closure,
    };
  }

  /**
   * A local wall-clock time on a local date as an instant. On the spring-forward day a time in
   * the skipped hour moves forward to the first real time after it.
   */
  instant(date: string, time: string): Date {
    return DateTime.fromISO(`${date}T${time}`, { zone: this.zone }).toJSDate();
  }

  async setWeekly(
    intervals: OpeningIntervalDto[],
    by: User,
    area: string = MAIN_AREA,
  ): Promise<WeeklyHours[]> {
    await this.changeWeekly(intervals, by, false, area);
    return this.weeklyHours(area);
  }

  /**
   * Replaces an area's weekly hours and displaces the bookings of its devices they no longer
   * allow, in one write transaction; a preview rolls it all back.
   */
  async changeWeekly(
    intervals: OpeningIntervalDto[],
    by: User,
    preview = false,
    areaSlug: string = MAIN_AREA,
  ): Promise<{ weekly: WeeklyIntervals; displaced: DisplacedBookings }> {
    const problems = weeklyProblems(intervals);
    if (problems.length) throw new BadRequestException(problems.join('; '));
    const area = await this.areas.get(areaSlug);
    const reason =
      area.slug === MAIN_AREA
        ? 'The lab’s opening hours have changed.'
        : `The ${area.name}’s opening hours have changed.`;
    const { displaced } = await this.labChanges.apply(
      preview,
      by,
      async (manager) => {
        const before = await manager.find(WeeklyHours, {
          where: { areaSlug: area.slug },
          order: { weekday: 'ASC', opens: 'ASC' },
        });
        await this.audit.record(manager, by, {
          action: 'hours.weekly_set',
          subjectType: 'hours',
          subject: area.slug === MAIN_AREA ? 'weekly' : `weekly ${area.slug}`,
          details: { before: describeWeek(before), after: describeWeek(intervals) },
        });
        await manager.delete(WeeklyHours, { areaSlug: area.slug });
        if (intervals.length) {
          await manager.insert(
            WeeklyHours,
            intervals.map((i) => ({
              ...new WeeklyHours(),
              areaSlug: area.slug,
              weekday: i.weekday,
              opens: i.opens,
              closes: i.closes,
            })),
          );
        }
      },
      () => ({ kind: 'hours', reason, area: area.slug }),
    );
    const weekly = preview
      ? [...intervals].sort((a, b) => a.weekday - b.weekday || a.opens.localeCompare(b.opens))
      : await this.weeklyHours(area.slug);
    return { weekly, displaced };
  }

  /** Dated closures from `from` on; with an area, only those that close it (its own and the library's). */
  listClosures(from?: string, area?: string): Promise<Closure[]> {
    return this.closures.find({
      where: {
        ...(from ? { date: Between(from, '9999-12-31') } : {}),
        ...(area ? { areaSlug: In([WHOLE_LIBRARY, area]) } : {}),
      },
      order: { date: 'ASC', areaSlug: 'ASC' },
    });
  }

  async addClosure(date: string, reason: string, by: User, area?: string): Promise<Closure> {
    return (await this.closeOn(date, reason, by, false, area)).closure;
  }

  /**
   * Closes an area (or, without one, the whole library) on a date and displaces the bookings it
   * closes; a preview rolls it all back.
   */
  async closeOn(
    date: string,
    reason: string,
    by: User,
    preview = false,
    areaSlug?: string,
  ): Promise<{ closure: Closure; displaced: DisplacedBookings }> {
    const area = areaSlug === undefined ? null : await this.areas.get(areaSlug);
    const key = { date, areaSlug: area?.slug ?? WHOLE_LIBRARY };
    const closure = this.closures.create({ ...key, reason });
    const { displaced } = await this.labChanges.apply(
      preview,
      by,
      async (manager) => {
        const day = houseStyle(this.config).longDate(date);
        if (await manager.existsBy(Closure, { date, areaSlug: WHOLE_LIBRARY }))
          throw new ConflictException(`The library is already closed on ${day}.`);
        if (area && (await manager.existsBy(Closure, key)))
          throw new ConflictException(`The ${area.name} is already closed on ${day}.`);
        // insert, never save(): save() would quietly overwrite a row a concurrent caller just added.
        await manager.insert(Closure, { ...key, reason });
        await this.audit.record(manager, by, {
          action: 'hours.closure_added',
          subjectType: 'hours',
          subject: area ? `${date} ${area.slug}` : date,
          details: { reason },
        });
      },
      () => ({ kind: 'closure', date, reason, area: area?.slug }),
    );
    return { closure, displaced };
  }

  async removeClosure(date: string, by: User, area?: string): Promise<void> {
    const key = { date, areaSlug: area ?? WHOLE_LIBRARY };
    await this.writes.run(async (manager) => {
      const closure = await manager.findOneBy(Closure, key);
      if (!closure)
        throw new NotFoundException(
          `There is no ${area ? `closure of ${area}` : 'whole-library closure'} on ${date}.`,
        );
      await manager.delete(Closure, key);
      await this.audit.record(manager, by, {
        action: 'hours.closure_removed',
        subjectType: 'hours',
        subject: area ? `${date} ${area}` : date,
        details: { reason: closure.reason },
      });
    });
  }
}

/** The week as the audit trail shows it, e.g. `1 10:00–20:00, 2 10:00–20:00`. */
function describeWeek(intervals: { weekday: number; opens: string; closes: string }[]): string {
  return intervals.map((i) => `${i.weekday} ${i.opens}–${i.closes}`).join(', ') || 'closed';
}

/** Intervals that end before they start, or overlap another on the same weekday. */
export function weeklyProblems(
  intervals: { weekday: number; opens: string; closes: string }[],
): string[] {
  const problems: string[] = [];
  intervals.forEach((i, index) => {
    if (i.opens >= i.closes) problems.push(`intervals.${index}.closes must be later than opens`);
  });
  const sorted = [...intervals].sort(
    (a, b) => a.weekday - b.weekday || a.opens.localeCompare(b.opens),
  );
  for (let k = 1; k < sorted.length; k++) {
    const [before, after] = [sorted[k - 1], sorted[k]];
    if (before.weekday === after.weekday && after.opens < before.closes) {
      problems.push(
        `intervals overlap on weekday ${after.weekday} (${before.opens}–${before.closes} and ${after.opens}–${after.closes})`,
      );
    }
  }
  return problems;
}
