import {
  BadRequestException,
  ConflictException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Between, EntityManager, Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { DisplacedBookings, LAB_CHANGES, type LabChanges } from '../bookings/lab-changes';
import { datesBetween } from '../common/time';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import { Closure } from './closure.entity';
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
  ) {}

  /** Bookings' handling of changes that take booked time away (looked up: bookings imports hours). */
  private get labChanges(): LabChanges {
    return this.moduleRef.get<LabChanges>(LAB_CHANGES, { strict: false });
  }

  get zone(): string {
    return this.config.timezone;
  }

  weeklyHours(): Promise<WeeklyHours[]> {
    return this.weekly.find({ order: { weekday: 'ASC', opens: 'ASC' } });
  }

  /**
   * One entry per local date from `from` to `to`, closures applied. Inside a write transaction,
   * pass its manager: on Postgres a read on another pooled connection while the transaction holds
   * one can exhaust the pool under load.
   */
  async days(from: string, to: string, manager?: EntityManager): Promise<OpeningDay[]> {
    if (from > to) throw new BadRequestException('from must not be after to');
    const span = DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days;
    if (span >= MAX_RANGE_DAYS)
      throw new BadRequestException(`from and to may be at most ${MAX_RANGE_DAYS} days apart`);
    const weekly = await (manager?.getRepository(WeeklyHours) ?? this.weekly).find({
      order: { weekday: 'ASC', opens: 'ASC' },
    });
    const closures = await (manager?.getRepository(Closure) ?? this.closures).findBy({
      date: Between(from, to),
    });
    const closed = new Map(closures.map((c) => [c.date, c.reason]));
    return datesBetween(from, to).map((date) => this.day(date, weekly, closed.get(date) ?? null));
  }

  async openIntervals(date: string): Promise<Interval[]> {
    const [day] = await this.days(date, date);
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

  async setWeekly(intervals: OpeningIntervalDto[], by: User): Promise<WeeklyHours[]> {
    await this.changeWeekly(intervals, by);
    return this.weeklyHours();
  }

  /**
   * Replaces the weekly hours and displaces the bookings they no longer allow, in one write
   * transaction; a preview rolls it all back.
   */
  async changeWeekly(
    intervals: OpeningIntervalDto[],
    by: User,
    preview = false,
  ): Promise<{ weekly: WeeklyIntervals; displaced: DisplacedBookings }> {
    const problems = weeklyProblems(intervals);
    if (problems.length) throw new BadRequestException(problems.join('; '));
    const reason = 'The lab’s opening hours have changed.';
    const { displaced } = await this.labChanges.apply(
      preview,
      by,
      async (manager) => {
        const before = await manager.find(WeeklyHours, { order: { weekday: 'ASC', opens: 'ASC' } });
        await this.audit.record(manager, by, {
          action: 'hours.weekly_set',
          subjectType: 'hours',
          subject: 'weekly',
          details: { before: describeWeek(before), after: describeWeek(intervals) },
        });
        await manager.clear(WeeklyHours);
        if (intervals.length) {
          await manager.insert(
            WeeklyHours,
            intervals.map((i) => ({
              ...new WeeklyHours(),
              weekday: i.weekday,
              opens: i.opens,
              closes: i.closes,
            })),
          );
        }
      },
      () => ({ kind: 'hours', reason }),
    );
    const weekly = preview
      ? [...intervals].sort((a, b) => a.weekday - b.weekday || a.opens.localeCompare(b.opens))
      : await this.weeklyHours();
    return { weekly, displaced };
  }

  listClosures(from?: string): Promise<Closure[]> {
    return this.closures.find({
      where: from ? { date: Between(from, '9999-12-31') } : {},
      order: { date: 'ASC' },
    });
  }

  async addClosure(date: string, reason: string, by: User): Promise<Closure> {
    return (await this.closeOn(date, reason, by)).closure;
  }

  /** Adds a closure and displaces the bookings on that day; a preview rolls it all back. */
  async closeOn(
    date: string,
    reason: string,
    by: User,
    preview = false,
  ): Promise<{ closure: Closure; displaced: DisplacedBookings }> {
    const closure = this.closures.create({ date, reason });
    const { displaced } = await this.labChanges.apply(
      preview,
      by,
      async (manager) => {
        if (await manager.existsBy(Closure, { date }))
          throw new ConflictException(`The lab is already closed on ${date}.`);
        // insert, never save(): save() would quietly overwrite a row a concurrent caller just added.
        await manager.insert(Closure, { date, reason });
        await this.audit.record(manager, by, {
          action: 'hours.closure_added',
          subjectType: 'hours',
          subject: date,
          details: { reason },
        });
      },
      () => ({ kind: 'closure', date, reason }),
    );
    return { closure, displaced };
  }

  async removeClosure(date: string, by: User): Promise<void> {
    await this.writes.run(async (manager) => {
      const closure = await manager.findOneBy(Closure, { date });
      if (!closure) throw new NotFoundException(`There is no closure on ${date}.`);
      await manager.delete(Closure, { date });
      await this.audit.record(manager, by, {
        action: 'hours.closure_removed',
        subjectType: 'hours',
        subject: date,
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
