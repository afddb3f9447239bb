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
import type { Equipment } from '../equipment/equipment.entity';
import { Outage } from '../equipment/outage.entity';
import { effectivePolicy } from '../equipment/policy';
import { HoursService } from '../hours/hours.service';
import { ManualsService } from '../manuals/manuals.service';
import { Booking, LIVE_STATUSES } from './booking.entity';
import { newBookingCode } from './booking-codes';
import { advance } from './booking-lifecycle.service';
import { BookingsRepository } from './bookings.repository';
import { isOverdueKit } from './overdue-kit';
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
    private readonly bookings: BookingsRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async place(manager: EntityManager, input: PlaceRequest): Promise<Booking> {
    const blockedUntil = await this.check(manager, input, null);
    const now = this.clock.now();
    return this.bookings.insert(manager, {
      code: await this.unusedCode(manager),
      equipmentId: input.device.id,
      patronId: input.patron.id,
      createdById: input.createdById,
      start: input.request.start,
      end: input.request.end,
      blockedUntil,
      status: advance('new', 'create', input.device.kind),
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
    await this.bookings.update(manager, booking.id, {
      start: booking.start,
      end: booking.end,
      blockedUntil,
      sequence: booking.sequence,
      usableFrom: booking.usableFrom,
      reminderSentAt: booking.reminderSentAt,
      updatedAt: booking.updatedAt,
    });
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

  /** Serialises bookings of one device (see `BookingsRepository.lockDevice`). */
  async lockDevice(manager: EntityManager, deviceId: string): Promise<void> {
    await this.bookings.lockDevice(manager, deviceId);
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
    const mine = { patronId: patron.id, deviceId: device.id, exceptId: movingId };
    const activeCount = await this.bookings.countLiveOfPatron(manager, { ...mine, now });
    const weekBookings = await this.bookings.ofPatronOverlapping(manager, {
      ...mine,
      statuses: [...LIVE_STATUSES, 'completed'],
      time: week,
    });
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
      patron: {
        age: this.accounts.ageOf(patron),
        suspendedUntil: patron.suspendedUntil,
        verified: patron.verifiedAt !== null,
      },
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
    const clashes = await this.bookings.clashing(manager, {
      deviceId,
      keeps,
      exceptId,
      now: this.clock.now(),
    });
    return clashes.sort((a, b) => a.start.getTime() - b.start.getTime())[0] ?? null;
  }

  slotTaken(
    device: Equipment,
    clash: Pick<Booking, 'start' | 'end' | 'status' | 'blockedUntil'>,
  ): ConflictException {
    const zone = this.config.timezone;
    if (isOverdueKit(device, clash, this.clock.now())) {
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
      if (!(await this.bookings.codeExists(manager, code))) return code;
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

export function refusalException(refused: Refusal): UnprocessableEntityException {
  return new UnprocessableEntityException({ code: refused.code, message: refused.message });
}
