import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import type { User } from '../accounts/user.entity';
import { CertificationsService } from '../certifications/certifications.service';
import { Clock } from '../common/clock';
import { localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { toDbInstant } from '../database/instant';
import type { Equipment, EquipmentKind } from '../equipment/equipment.entity';
import { Outage } from '../equipment/outage.entity';
import { effectivePolicy } from '../equipment/policy';
import { HoursService } from '../hours/hours.service';
import { ManualsService } from '../manuals/manuals.service';
import { Booking, BookingStatus, LIVE_STATUSES } from './booking.entity';
import { newBookingCode } from './booking-codes';
import { BookingEvent, nextStatus, transition } from './lifecycle';
import {
  BookingFacts,
  firstRefusal,
  Interval,
  localWeek,
  OpeningDayFacts,
  Refusal,
  wallMinutes,
} from './rules';

export interface PlaceRequest {
  device: Equipment;
  patron: User;
  request: Interval;
  createdById: string;
  walkIn: boolean;
  idempotencyKey?: string | null;
}

/**
 * The one path that puts a booking on the calendar or moves it, used by patrons, the desk and the
 * waitlist alike. It runs inside a write transaction: lock the device, gather the facts, apply the
 * rules, look for a clash, write. The database's own overlap guard stands behind the clash check.
 */
@Injectable()
export class BookingEngine {
  constructor(
    private readonly accounts: AccountsService,
    private readonly hours: HoursService,
    private readonly certifications: CertificationsService,
    private readonly manuals: ManualsService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async place(manager: EntityManager, input: PlaceRequest): Promise<Booking> {
    const blockedUntil = await this.check(manager, input, null);
    const now = this.clock.now();
    const booking = manager.create(Booking, {
      code: await this.unusedCode(manager),
      equipmentId: input.device.id,
      patronId: input.patron.id,
      createdById: input.createdById,
      start: input.request.start,
      end: input.request.end,
      blockedUntil,
      status: nextStatus('new', 'create', input.device.kind)!,
      notes: null,
      idempotencyKey: input.idempotencyKey ?? null,
      sequence: 0,
      createdAt: now,
      updatedAt: now,
      checkedInAt: null,
      completedAt: null,
      cancelledAt: null,
      noShowAt: null,
      usableFrom: usableFrom(input.request.start, now),
      displacedAt: null,
      displacedKind: null,
      displacedReason: null,
      reminderSentAt: this.remindedByConfirmation(input.request.start, now),
    });
    await manager.insert(Booking, booking);
    return booking;
  }

  async move(manager: EntityManager, booking: Booking, input: PlaceRequest): Promise<Booking> {
    const blockedUntil = await this.check(manager, input, booking.id);
    const now = this.clock.now();
    Object.assign(booking, {
      start: input.request.start,
      end: input.request.end,
      blockedUntil,
      sequence: booking.sequence + 1,
      updatedAt: now,
      usableFrom: usableFrom(input.request.start, now),
    });
    booking.reminderSentAt = this.remindedByConfirmation(booking.start, booking.updatedAt);
    await manager.update(
      Booking,
      { id: booking.id },
      {
        start: booking.start,
        end: booking.end,
        blockedUntil,
        sequence: booking.sequence,
        usableFrom: booking.usableFrom,
        reminderSentAt: booking.reminderSentAt,
        updatedAt: booking.updatedAt,
      },
    );
    return booking;
  }

  /** A booking made inside the reminder window needs no reminder: its confirmation is one. */
  private remindedByConfirmation(start: Date, now: Date): Date | null {
    return start.getTime() - now.getTime() <= this.config.reminderHours * 3_600_000 ? now : null;
  }

  /** Refuses the request if a rule or another booking stands in its way; returns its blocked end. */
  async check(
    manager: EntityManager,
    input: PlaceRequest,
    movingId: string | null,
    rules?: Parameters<typeof firstRefusal>[1],
  ): Promise<Date> {
    await this.lockDevice(manager, input.device.id);
    const facts = await this.facts(manager, input, movingId);
    const refused = firstRefusal(facts, rules);
    if (refused) throw refusalException(refused);
    const blockedUntil = new Date(
      input.request.end.getTime() + facts.policy.bufferMinutes * 60_000,
    );
    const clash = await this.clash(
      manager,
      input.device.id,
      { start: input.request.start, end: blockedUntil },
      movingId,
    );
    if (clash) throw this.slotTaken(input.device, clash);
    return blockedUntil;
  }

  /**
   * Serialises bookings of one device. On Postgres a row lock on the device; on SQLite the write
   * queue already runs one transaction at a time.
   */
  async lockDevice(manager: EntityManager, deviceId: string): Promise<void> {
    if (manager.connection.options.type === 'postgres') {
      await manager.query('SELECT id FROM equipment WHERE id = $1 FOR UPDATE', [deviceId]);
    }
  }

  async facts(
    manager: EntityManager,
    input: PlaceRequest,
    movingId: string | null,
  ): Promise<BookingFacts> {
    const { device, patron, request } = input;
    const zone = this.config.timezone;
    const now = this.clock.now();
    const policy = effectivePolicy(device.category.policy, device.policyOverrides);
    const firstDay = localDate(request.start, zone);
    const lastDay = localDate(
      new Date(Math.max(request.start.getTime(), request.end.getTime() - 1)),
      zone,
    );
    const dates = firstDay === lastDay ? [firstDay] : [firstDay, lastDay];
    // One query at a time, all on the transaction's own connection.
    const days: OpeningDayFacts[] = [];
    for (const date of dates) days.push(...(await this.hours.days(date, date, manager)));
    const week = localWeek(request.start, zone);
    const mine = manager
      .createQueryBuilder(Booking, 'b')
      .where('b.patron_id = :patron', { patron: patron.id })
      .andWhere('b.equipment_id = :device', { device: device.id });
    if (movingId) mine.andWhere('b.id <> :moving', { moving: movingId });
    const activeCount = await mine
      .clone()
      .andWhere('b.status IN (:...live)', { live: LIVE_STATUSES })
      .andWhere('b.end_at > :now', { now: toDbInstant(now) })
      .getCount();
    const weekBookings = await mine
      .clone()
      .andWhere('b.status IN (:...counted)', { counted: [...LIVE_STATUSES, 'completed'] })
      .andWhere('b.start_at < :weekEnd AND b.end_at > :weekStart', {
        weekStart: toDbInstant(week.start),
        weekEnd: toDbInstant(week.end),
      })
      .getMany();
    const outages = await manager
      .createQueryBuilder(Outage, 'o')
      .where('o.equipment_id = :device', { device: device.id })
      .andWhere('o.start_at < :end AND o.end_at > :start', {
        start: toDbInstant(request.start),
        end: toDbInstant(request.end),
      })
      .orderBy('o.start_at')
      .getMany();
    const certified = await this.certifications.isCertified(
      patron.id,
      device.id,
      request.start,
      manager,
    );
    return {
      request,
      now,
      zone,
      policy,
      device,
      patron: { age: this.accounts.ageOf(patron), suspendedUntil: patron.suspendedUntil },
      certified,
      rereads: certified ? await this.manuals.rereadsFor(patron.id, device.id, manager) : [],
      days,
      outages,
      activeCount,
      minutesThisWeek: weekBookings.reduce((sum, b) => sum + wallMinutes(b, zone), 0),
      walkIn: input.walkIn,
    };
  }

  /**
   * The earliest live booking of the device whose blocked time overlaps `keeps`, or a loan kit
   * still out after its due date: that one keeps the kit from its start until it is returned. Its
   * stored time is left as booked, so the database's no-overlap guarantee keeps holding for every
   * row.
   */
  async clash(
    manager: EntityManager,
    deviceId: string,
    keeps: Interval,
    exceptId: string | null,
  ): Promise<Booking | null> {
    // Sorted here rather than in SQL: an ORDER BY start_at leads SQLite to the (equipment_id,
    // start_at) index, which walks the device's whole history; there are rarely two clashes.
    const query = manager
      .createQueryBuilder(Booking, 'b')
      .innerJoin('b.equipment', 'e')
      .where('b.equipment_id = :device', { device: deviceId })
      .andWhere('b.status IN (:...live)', { live: LIVE_STATUSES })
      .andWhere(`b.start_at < :end AND (b.blocked_until > :start OR (${OVERDUE_LOAN}))`, {
        start: toDbInstant(keeps.start),
        end: toDbInstant(keeps.end),
        now: toDbInstant(this.clock.now()),
      });
    if (exceptId) query.andWhere('b.id <> :except', { except: exceptId });
    const clashes = await query.getMany();
    return clashes.sort((a, b) => a.start.getTime() - b.start.getTime())[0] ?? null;
  }

  slotTaken(
    device: Equipment,
    clash: Pick<Booking, 'start' | 'end' | 'status' | 'blockedUntil'>,
  ): ConflictException {
    const zone = this.config.timezone;
    if (isOverdueLoan(device, clash, this.clock.now())) {
      // A kit booked by whole days ends at the midnight after its last day, its due date.
      const due = DateTime.fromJSDate(clash.end, { zone }).minus({ milliseconds: 1 });
      return new ConflictException({
        code: 'SLOT_TAKEN',
        message: `${device.name} is still out on loan: it was due back ${due.toFormat('cccc d LLLL')}. It can be booked again once it is returned.`,
      });
    }
    const from = DateTime.fromJSDate(clash.start, { zone });
    const to = DateTime.fromJSDate(clash.end, { zone });
    return new ConflictException({
      code: 'SLOT_TAKEN',
      message: `${device.name} is already booked ${from.toFormat('cccc d LLLL, h:mm a')}–${to.toFormat('h:mm a')}. Please pick another time, or join the waitlist.`,
    });
  }

  private async unusedCode(manager: EntityManager): Promise<string> {
    for (;;) {
      const code = newBookingCode();
      if (!(await manager.existsBy(Booking, { code }))) return code;
    }
  }
}

/**
 * A booking can first be used at its start, or, when it is made (at the desk, or by the waitlist)
 * or moved into a slot that has already begun, at that moment.
 */
export function usableFrom(start: Date, now: Date): Date {
  return start > now ? start : now;
}

/** SQL: a loan kit handed over and still out after its due date (needs `e` and `:now`). */
const OVERDUE_LOAN = "e.kind = 'loan' AND b.status = 'checked_in' AND b.blocked_until <= :now";

/** A loan kit still out after its due date, which keeps the kit until it is returned. */
export function isOverdueLoan(
  device: Pick<Equipment, 'kind'>,
  booking: Pick<Booking, 'status' | 'blockedUntil'>,
  now: Date,
): boolean {
  return device.kind === 'loan' && booking.status === 'checked_in' && booking.blockedUntil <= now;
}

/** The status an event leads to, or the refusal as the HTTP error the contract gives it. */
export function advance(
  status: BookingStatus | 'new',
  event: BookingEvent,
  kind: EquipmentKind,
): BookingStatus {
  const result = transition(status, event, kind);
  if ('next' in result) return result.next;
  const { code, message } = result.refused;
  if (code === 'WRONG_STATUS' || code === 'IN_USE') throw new ConflictException({ code, message });
  throw new UnprocessableEntityException({ code, message });
}

export function refusalException(refused: Refusal): UnprocessableEntityException {
  return new UnprocessableEntityException({ code: refused.code, message: refused.message });
}
