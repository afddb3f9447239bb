import {
  BadRequestException,
  ConflictException,
  HttpException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Repository } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import type { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { formatInstant, parseInstant } from '../common/time';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import { EquipmentService } from '../equipment/equipment.service';
import { BookingEngine } from './booking-engine.service';
import { BookingLifecycle } from './booking-lifecycle.service';
import { BookingNotifier, type BookingWithParties } from './booking-notifier';
import { BookingsRepository } from './bookings.repository';
import type { CancelSeriesDto, CreateSeriesDto } from './dto/series.dto';
import type { Interval } from './rules';
import { BookingSeries } from './series.entity';
import { WaitlistService } from './waitlist.service';

/** An occurrence that could not be booked, and why (the same words a single booking would get). */
export interface SeriesConflict {
  start: Date;
  end: Date;
  code: string;
  message: string;
}

export interface SeriesOutcome {
  /** Null on a dry run: nothing was written. */
  series: BookingSeries | null;
  /** The bookings made, or on a dry run the times that would be booked. */
  created: (BookingWithParties | Interval)[];
  conflicts: SeriesConflict[];
}

/** The most occurrences one series may have, and how far ahead its last may fall. */
const MOST_OCCURRENCES = 100;
const MOST_DAYS_AHEAD = 366;

/** Thrown inside the transaction to undo it: a dry run, or a series refused whole. */
class Undo extends Error {
  constructor(readonly outcome: SeriesOutcome) {
    super('undo');
  }
}

/**
 * Recurring bookings made by staff: a patron's weekly slot, a club, a class. Each occurrence is a
 * normal booking placed through the booking engine in one transaction: all of them or none,
 * unless staff ask to skip the ones that clash. Staff make them, so the limits meant for
 * patrons' own bookings (quotas, the advance window, notice) do not apply; opening hours,
 * closures, outages and other bookings always do.
 */
@Injectable()
export class SeriesService {
  constructor(
    @InjectRepository(BookingSeries) private readonly series: Repository<BookingSeries>,
    private readonly bookings: BookingsRepository,
    private readonly engine: BookingEngine,
    private readonly lifecycle: BookingLifecycle,
    private readonly accounts: AccountsService,
    private readonly equipment: EquipmentService,
    private readonly waitlist: WaitlistService,
    private readonly notifier: BookingNotifier,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async create(staff: User, dto: CreateSeriesDto, dryRun: boolean): Promise<SeriesOutcome> {
    const patron = await this.patronFor(staff, dto);
    const device = await this.equipment.get(dto.equipment);
    const times = this.occurrences(dto);
    const reason = dto.title ? `Recurring: ${dto.title}` : 'Recurring booking made by staff';
    try {
      const made = await this.writes.run(async (manager) => {
        const series = await manager.save(
          manager.create(BookingSeries, {
            equipmentId: device.id,
            patronId: patron.id,
            createdById: staff.id,
            title: dto.title ?? null,
            every: dto.repeat.every,
            count: dto.repeat.count ?? null,
            until: dto.repeat.until ?? null,
            firstStart: times[0].start,
            firstEnd: times[0].end,
            createdAt: this.clock.now(),
          }),
        );
        const created: { id: string; start: Date; end: Date }[] = [];
        const conflicts: SeriesConflict[] = [];
        for (const request of times) {
          try {
            const booking = await this.engine.place(manager, {
              device,
              patron,
              request,
              createdById: staff.id,
              walkIn: true,
              overrideReason: reason,
              seriesId: series.id,
            });
            created.push(booking);
          } catch (error) {
            // A refusal is thrown before anything is written, so the transaction goes on.
            if (!(error instanceof HttpException) || error.getStatus() >= 500) throw error;
            const body = error.getResponse() as { code?: string; message?: string };
            conflicts.push({
              ...request,
              code: body.code ?? 'REFUSED',
              message: body.message ?? error.message,
            });
          }
        }
        const refusedWhole = (conflicts.length > 0 && !dto.skipConflicts) || created.length === 0;
        if (dryRun || refusedWhole) {
          const planned = created.map(({ start, end }) => ({ start, end }));
          throw new Undo({ series: null, created: planned, conflicts });
        }
        await this.audit.record(manager, staff, {
          action: 'series.created',
          subjectType: 'series',
          subject: series.id,
          details: {
            equipment: device.slug,
            patron: patron.cardNumber,
            title: dto.title ?? null,
            every: dto.repeat.every,
            bookings: created.length,
            skipped: conflicts.length,
          },
        });
        await this.notifier.tell(
          manager,
          'confirmed',
          created[0].id,
          this.seriesParagraph(created, conflicts),
        );
        return { series, ids: created.map((b) => b.id), conflicts };
      });
      const created: BookingWithParties[] = [];
      for (const id of made.ids) created.push(await this.bookings.getWithParties(id));
      return { series: made.series, created, conflicts: made.conflicts };
    } catch (error) {
      if (!(error instanceof Undo)) throw error;
      if (dryRun) return error.outcome;
      const { conflicts } = error.outcome;
      throw new ConflictException({
        code: 'SERIES_CONFLICTS',
        message: conflicts.length
          ? `${conflicts.length} of the ${times.length} bookings cannot be made, so none were. ` +
            'Pick another time, or ask to skip the ones that clash.'
          : 'None of these bookings can be made.',
        conflicts: conflicts.map((c) => this.conflictResponse(c)),
      });
    }
  }

  async get(id: string): Promise<{ series: BookingSeries; bookings: BookingWithParties[] }> {
    const series = await this.series.findOne({ where: { id }, relations: { equipment: true } });
    if (!series) throw new NotFoundException('There is no such series.');
    return { series, bookings: await this.bookings.ofSeries(id) };
  }

  async list(): Promise<BookingSeries[]> {
    return this.series.find({
      relations: { equipment: true, patron: true },
      order: { firstStart: 'DESC' },
      take: 200,
    });
  }

  /** Cancels the series' live occurrences from a local date on (from now when none is given). */
  async cancel(
    staff: User,
    id: string,
    dto: CancelSeriesDto,
  ): Promise<{ series: BookingSeries; bookings: BookingWithParties[] }> {
    const { series, bookings } = await this.get(id);
    const now = this.clock.now();
    const from = dto.from
      ? DateTime.fromISO(dto.from, { zone: this.config.timezone }).startOf('day').toJSDate()
      : now;
    const due = bookings.filter(
      (b) => b.start >= from && (b.status === 'confirmed' || b.status === 'pending'),
    );
    await this.writes.run(async (manager) => {
      for (const booking of due) {
        await this.lifecycle.change(manager, booking, booking.equipment.kind, 'cancel', {
          cancelledAt: now,
          updatedAt: now,
          sequence: booking.sequence + 1,
        });
      }
      await this.audit.record(manager, staff, {
        action: 'series.cancelled',
        subjectType: 'series',
        subject: series.id,
        details: { from: from.toISOString(), bookings: due.length },
      });
      if (due.length) {
        const rest = due.length - 1;
        await this.notifier.tell(
          manager,
          'cancelled',
          due[0].id,
          rest
            ? `The ${rest} later booking${rest === 1 ? '' : 's'} of this series ${rest === 1 ? 'is' : 'are'} canceled too.`
            : undefined,
        );
      }
    });
    for (const booking of due)
      await this.waitlist.promote(booking.equipmentId, {
        start: booking.start,
        end: booking.blockedUntil,
      });
    return this.get(id);
  }

  /** The series' times in the library's zone: the same wall-clock time on each day or week. */
  private occurrences(dto: CreateSeriesDto): Interval[] {
    const zone = this.config.timezone;
    const start = DateTime.fromJSDate(parseInstant(dto.start)!, { zone });
    const end = DateTime.fromJSDate(parseInstant(dto.end)!, { zone });
    if (end <= start) throw new BadRequestException('end must be later than start');
    const { every, count, until } = dto.repeat;
    if (count === undefined && until === undefined)
      throw new BadRequestException('repeat needs a count or an until date');
    const lastDay = until ? DateTime.fromISO(until, { zone }).endOf('day') : null;
    if (lastDay && lastDay < start)
      throw new BadRequestException('repeat.until must not be before the first booking');
    if (lastDay && lastDay.diff(start, 'days').days > MOST_DAYS_AHEAD)
      throw new BadRequestException(
        `repeat.until must be within ${MOST_DAYS_AHEAD} days of the first booking`,
      );
    const times: Interval[] = [];
    for (let i = 0; i < (count ?? MOST_OCCURRENCES + 1); i++) {
      const step = every === 'week' ? { weeks: i } : { days: i };
      const from = start.plus(step);
      if (lastDay && from > lastDay) break;
      times.push({ start: from.toJSDate(), end: end.plus(step).toJSDate() });
    }
    if (times.length > MOST_OCCURRENCES)
      throw new BadRequestException(
        `A series may have at most ${MOST_OCCURRENCES} bookings; set repeat.count or an earlier repeat.until`,
      );
    return times;
  }

  /** A patron's series books for their card; a programme (no card) books for the staff member. */
  private async patronFor(staff: User, dto: CreateSeriesDto): Promise<User> {
    if (dto.cardNumber === undefined) {
      if (!dto.title)
        throw new BadRequestException(
          'cardNumber is required, or a title for a lab programme (a club, a class)',
        );
      return staff;
    }
    const patron = await this.accounts.findPatronByCard(dto.cardNumber);
    if (!patron) throw new NotFoundException(`No patron has card number ${dto.cardNumber}.`);
    return patron;
  }

  private seriesParagraph(created: Interval[], conflicts: SeriesConflict[]): string {
    const style = houseStyle(this.config);
    const now = this.clock.now();
    const day = (d: Date) => style.date(d, now);
    const lines = [
      `This is the first of ${created.length} bookings in a series: ${created.map((b) => day(b.start)).join('; ')}.`,
    ];
    if (conflicts.length)
      lines.push(
        `Not booked (the time was not free): ${conflicts.map((c) => day(c.start)).join('; ')}.`,
      );
    return lines.join('\n');
  }

  conflictResponse(conflict: SeriesConflict) {
    const zone = this.config.timezone;
    return {
      start: formatInstant(conflict.start, zone),
      end: formatInstant(conflict.end, zone),
      code: conflict.code,
      message: conflict.message,
    };
  }
}
