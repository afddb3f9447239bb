import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import type { User } from '../accounts/user.entity';
import { CertificationsService } from '../certifications/certifications.service';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { toDbInstant } from '../database/instant';
import type { Equipment } from '../equipment/equipment.entity';
import { Outage } from '../equipment/outage.entity';
import { type BookingPolicy, decideBy, effectivePolicy } from '../equipment/policy';
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
  localDay,
  localWeek,
  minutesWithin,
  OpeningDayFacts,
  OVERRIDABLE_RULES,
  Refusal,
  RULES,
  wallMinutes,
} from './rules';

export interface PlaceRequest {
  device: Equipment;
  patron: User;
  request: Interval;
  createdById: string;
  walkIn: boolean;
  idempotencyKey?: string | null;
  /** The recurring series this booking is an occurrence of. */
  seriesId?: string;
  /** Answers to the device's questions, checked, and when its terms were accepted. */
  answers?: Record<string, string | number | boolean> | null;
  termsAcceptedAt?: Date | null;
  /** Staff setting a booking rule aside for this booking, and why (never overlap or hours). */
  overrideReason?: string;
}

/** A booking as placed, with the rules staff set aside for it (empty without an override). */
export type Placed = Booking & { overridden: Refusal[] };

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

  async place(manager: EntityManager, input: PlaceRequest): Promise<Placed> {
    const { blockedUntil, overridden, policy } = await this.judge(manager, input, null);
    const now = this.clock.now();
    // A patron's own booking of a device that needs approval waits for staff (from the waitlist
    // too); a booking staff make for a patron is approved as they make it.
    const request =
      policy.requiresApproval === true &&
      input.patron.role === 'patron' &&
      input.createdById === input.patron.id;
    const booking = await this.bookings.insert(manager, {
      code: await this.unusedCode(manager),
      equipmentId: input.device.id,
      patronId: input.patron.id,
      createdById: input.createdById,
      start: input.request.start,
      end: input.request.end,
      blockedUntil,
      status: advance('new', request ? 'request' : 'create', input.device.kind),
      decideBy: request ? decideBy(policy, now, input.request.start) : null,
      decidedAt: null,
      decidedById: null,
      decisionReason: null,
      notes: null,
      idempotencyKey: input.idempotencyKey ?? null,
      seriesId: input.seriesId ?? null,
      answers: input.answers ?? null,
      termsAcceptedAt: input.termsAcceptedAt ?? null,
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
    return Object.assign(booking, { overridden });
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
  async check(manager: EntityManager, input: PlaceRequest, movingId: string | null): Promise<Date> {
    return (await this.judge(manager, input, movingId)).blockedUntil;
  }

  /**
   * `check`, also telling which rules staff set aside with an override: those are judged and
   * reported, never enforced; the rest (and the clash check) hold as always.
   */
  private async judge(
    manager: EntityManager,
    input: PlaceRequest,
    movingId: string | null,
  ): Promise<{ blockedUntil: Date; overridden: Refusal[]; policy: BookingPolicy }> {
    await this.lockDevice(manager, input.device.id);
    const facts = await this.facts(manager, input, movingId);
    const overriding = input.overrideReason !== undefined;
    const refused = firstRefusal(facts, overriding ? ALWAYS_ENFORCED : RULES);
    if (refused) throw refusalException(refused);
    const overridden = overriding
      ? OVERRIDABLE_RULES.map((rule) => rule(facts)).filter((r): r is Refusal => r !== null)
      : [];
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
    return { blockedUntil, overridden, policy: facts.policy };
  }

  /** Serializes bookings of one device (see `BookingsRepository.lockDevice`). */
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
    for (const date of dates)
      days.push(...(await this.hours.days(date, date, manager, device.areaSlug)));
    const week = localWeek(request.start, zone);
    const mine = { patronId: patron.id, deviceId: device.id, exceptId: movingId };
    const activeCount = await this.bookings.countLiveOfPatron(manager, { ...mine, now });
    const weekBookings = await this.bookings.ofPatronOverlapping(manager, {
      ...mine,
      statuses: [...LIVE_STATUSES, 'completed'],
      time: week,
    });
    const minutesThisDay = await this.minutesOnDay(
      manager,
      input,
      policy.maxMinutesPerDay,
      movingId,
    );
    const labCap = this.config.maxLiveBookingsPerPatron;
    const liveInLab = labCap
      ? await this.bookings.countLiveOfPatronInLab(manager, {
          patronId: patron.id,
          now,
          exceptId: movingId,
        })
      : 0;
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
      style: houseStyle(this.config),
      policy,
      device,
      patron: {
        age: this.accounts.ageOf(patron),
        suspendedUntil: patron.suspendedUntil,
        group: this.accounts.groupOf(patron) ?? '',
        verified: patron.verifiedAt !== null,
      },
      certified,
      rereads: certified ? await this.manuals.rereadsFor(patron.id, device.id, manager) : [],
      days,
      outages,
      activeCount,
      minutesThisWeek: weekBookings.reduce((sum, b) => sum + wallMinutes(b, zone), 0),
      minutesThisDay,
      liveInLab,
      labCap,
      walkIn: input.walkIn,
    };
  }

  /**
   * Minutes the patron holds or used on the request's local day across the device's category,
   * asked only when the policy has a daily limit.
   */
  private async minutesOnDay(
    manager: EntityManager,
    input: PlaceRequest,
    limit: number | undefined,
    movingId: string | null,
  ): Promise<number> {
    if (limit === undefined) return 0;
    const zone = this.config.timezone;
    const time = localDay(input.request.start, zone);
    const held = await this.bookings.ofPatronInCategories(manager, {
      patronId: input.patron.id,
      categories: [input.device.categorySlug],
      statuses: [...LIVE_STATUSES, 'completed'],
      time,
      exceptId: movingId,
    });
    return minutesWithin(held, time, zone);
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
    const style = houseStyle(this.config);
    const now = this.clock.now();
    if (isOverdueKit(device, clash, now)) {
      // A kit booked by whole days ends at the midnight after its last day, its due date.
      return new ConflictException({
        code: 'SLOT_TAKEN',
        message: `${device.name} is still out on loan: it was due back ${style.kitLastDay(clash.end, now)}. It can be booked again once it is returned.`,
      });
    }
    const when =
      device.kind === 'loan'
        ? style.kitDays(clash.start, clash.end, now)
        : style.range(clash.start, clash.end, now);
    return new ConflictException({
      code: 'SLOT_TAKEN',
      message: `${device.name} is already booked ${when}. Please pick another time, or join the waitlist.`,
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

/** The rules an override never sets aside: the device usable, the time open, aligned and not past. */
const ALWAYS_ENFORCED = RULES.filter((rule) => !OVERRIDABLE_RULES.includes(rule));

export function refusalException(refused: Refusal): UnprocessableEntityException {
  return new UnprocessableEntityException({ code: refused.code, message: refused.message });
}
