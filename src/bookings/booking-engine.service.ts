import {
  ConflictException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
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
import { type BookingPolicy, decideBy, effectivePolicy } from '../equipment/policy';
import { ManualsService } from '../manuals/manuals.service';
import { overlaps } from './availability';
import { Booking, COUNTED_STATUSES, LIVE_STATUSES } from './booking.entity';
import { newBookingCode } from './booking-codes';
import { advance } from './booking-lifecycle.service';
import {
  BookingsRepository,
  type PlacedBooking,
  type PlacementFacts,
  type PlacementQuery,
} from './bookings.repository';
import { LabCatalog } from './lab-catalog';
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
  /**
   * The session the request was let in on from memory (`@ConfirmsSession()`), to confirm as the
   * device is locked, with the account that made the request as it was let in.
   */
  session?: { id: string; actor: User };
  /**
   * Write the booking with the transaction's appended rows (`appendRow`), for a caller that
   * neither reads nor changes the row before its work ends (or writes them first with
   * `writeAppendedRows`).
   */
  append?: boolean;
}

/**
 * A booking as placed, with the device as it was judged, its patron, and the rules staff set
 * aside for it (empty without an override).
 */
export type Placed = Booking & { equipment: Equipment; patron: User; overridden: Refusal[] };

/**
 * The one path that puts a booking on the calendar or moves it, used by patrons, the desk and the
 * waitlist alike. It runs inside a write transaction: lock the device, gather the facts, apply the
 * rules, look for a clash, write. The database's own overlap guard stands behind the clash check.
 */
@Injectable()
export class BookingEngine {
  constructor(
    private readonly accounts: AccountsService,
    private readonly catalog: LabCatalog,
    private readonly certifications: CertificationsService,
    private readonly manuals: ManualsService,
    private readonly bookings: BookingsRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async place(manager: EntityManager, input: PlaceRequest): Promise<Placed> {
    // A fresh code is checked in the same statement that gathers the facts; a taken one is rare.
    const candidate = newBookingCode();
    const judged = await this.judge(manager, input, null, candidate);
    const { blockedUntil, overridden, policy, device, patron } = judged;
    const now = this.clock.now();
    // A patron's own booking of a device that needs approval waits for staff (from the waitlist
    // too); a booking staff make for a patron is approved as they make it.
    const request =
      policy.requiresApproval === true &&
      patron.role === 'patron' &&
      input.createdById === patron.id;
    const booking = await this.bookings.insert(manager, input.append === true, {
      code: judged.codeTaken ? await this.unusedCode(manager) : candidate,
      equipmentId: device.id,
      patronId: patron.id,
      createdById: input.createdById,
      start: input.request.start,
      end: input.request.end,
      blockedUntil,
      status: advance('new', request ? 'request' : 'create', device.kind),
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
    return Object.assign(booking, { overridden, equipment: device, patron });
  }

  async move(manager: EntityManager, booking: Booking, input: PlaceRequest): Promise<Booking> {
    const blockedUntil = await this.check(manager, input, booking.id);
    const now = this.clock.now();
    Object.assign(booking, {
      equipmentId: input.device.id,
      start: input.request.start,
      end: input.request.end,
      blockedUntil,
      sequence: booking.sequence + 1,
      updatedAt: now,
      usableFrom: usableFrom(input.request.start, now),
    });
    booking.reminderSentAt = this.remindedByConfirmation(booking.start, booking.updatedAt);
    await this.bookings.update(manager, booking.id, {
      equipmentId: booking.equipmentId,
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
    return (await this.judge(manager, input, movingId, null)).blockedUntil;
  }

  /**
   * `check`, also telling which rules staff set aside with an override: those are judged and
   * reported, never enforced; the rest (and the clash check) hold as always. The device is judged
   * as it stands once locked, and `code`, when given, is looked up among the bookings.
   */
  private async judge(
    manager: EntityManager,
    input: PlaceRequest,
    movingId: string | null,
    code: string | null,
  ): Promise<Judged> {
    const locking = this.lockConfirming(manager, input);
    locking.catch(() => undefined);
    const early = this.placementBehindLock(manager, input, movingId, code);
    const patron = await locking;
    const device = await this.current(manager, input.device);
    const { facts, clashes, codeTaken } = await this.gather(
      manager,
      { ...input, device, patron },
      movingId,
      code,
      early,
    );
    const overriding = input.overrideReason !== undefined;
    const refused = firstRefusal(facts, overriding ? ALWAYS_ENFORCED : RULES);
    if (refused) throw refusalException(refused);
    const overridden = overriding
      ? OVERRIDABLE_RULES.map((rule) => rule(facts)).filter((r): r is Refusal => r !== null)
      : [];
    const clash = earliest(clashes);
    if (clash) throw this.slotTaken(device, clash);
    return {
      blockedUntil: blockedUntil(input.request, facts.policy),
      overridden,
      policy: facts.policy,
      device,
      patron,
      codeTaken,
    };
  }

  /**
   * Serializes bookings of one device (see `BookingsRepository.lockDevice`), and drops what this
   * instance holds of the catalog if another has changed it since.
   */
  async lockDevice(manager: EntityManager, deviceId: string): Promise<void> {
    this.catalog.observe(
      (await this.bookings.lockDeviceReadingCatalog(manager, deviceId, undefined)).version,
    );
  }

  /**
   * `lockDevice`; with `input.session`, the same statement confirms the session
   * (`AccountsService.confirmSession`). Returns the patron to judge: the account as it stands now
   * when the requester books for themself and was confirmed here.
   */
  private async lockConfirming(manager: EntityManager, input: PlaceRequest): Promise<User> {
    const { session, patron } = input;
    const confirmation = session && {
      ...this.accounts.sessionConfirmation,
      parameters: { session: session.id, now: toDbInstant(this.clock.now()) },
    };
    const locked = await this.bookings.lockDeviceReadingCatalog(
      manager,
      input.device.id,
      confirmation,
    );
    this.catalog.observe(locked.version);
    if (!session) return patron;
    const account = locked.row
      ? this.accounts.confirmSession(this.accounts.accountOf(locked.row), session.actor)
      : await this.accounts.confirmSessionAlone(manager, session.id, session.actor);
    return account.id === patron.id ? account : patron;
  }

  /**
   * The other bookings' facts, asked for as the device is being locked, without waiting for the
   * lock: on PostgreSQL the statement travels with the lock's, one round trip for both, and runs
   * once the lock is held, so it reads every booking committed before (each statement of a READ
   * COMMITTED transaction reads what was committed as it starts). It is asked about the device as
   * the caller had it; `gather` uses the answer only if it asks the same (see `answers`). It never
   * reads the catalog: a load started here would wait behind this transaction's lock, and another
   * transaction holding that lock could wait for the load.
   */
  private placementBehindLock(
    manager: EntityManager,
    input: PlaceRequest,
    movingId: string | null,
    code: string | null,
  ): EarlyPlacement {
    const query = this.placementQuery(input, movingId, code, this.clock.now());
    const facts = this.bookings.placementFacts(manager, query);
    // A failed lock fails this statement too; the lock's error is the one reported.
    facts.catch(() => undefined);
    return { query, facts };
  }

  private placementQuery(
    input: Pick<PlaceRequest, 'device' | 'patron' | 'request'>,
    movingId: string | null,
    code: string | null,
    now: Date,
  ): PlacementQuery {
    const { device, patron, request } = input;
    const zone = this.config.timezone;
    const policy = effectivePolicy(device.category.policy, device.policyOverrides);
    const week = localWeek(request.start, zone);
    const day = localDay(request.start, zone);
    return {
      patronId: patron.id,
      deviceId: device.id,
      exceptId: movingId,
      now,
      counted: {
        start: week.start < day.start ? week.start : day.start,
        end: week.end > day.end ? week.end : day.end,
      },
      keeps: { start: request.start, end: blockedUntil(request, policy) },
      code,
    };
  }

  /** The device as the catalog now has it (the caller's copy may predate a change). */
  private async current(manager: EntityManager, device: Equipment): Promise<Equipment> {
    try {
      return await this.catalog.device(device.slug, manager);
    } catch (error) {
      if (error instanceof NotFoundException) return device;
      throw error;
    }
  }

  async facts(
    manager: EntityManager,
    input: PlaceRequest,
    movingId: string | null,
  ): Promise<BookingFacts> {
    return (await this.gather(manager, input, movingId, null)).facts;
  }

  /**
   * The facts the rules judge by, the bookings that clash with the request, and whether `code`
   * is taken: the hours and outages from what the catalog holds, the other bookings in one
   * statement, the orientation only for a device that needs one.
   */
  private async gather(
    manager: EntityManager,
    input: PlaceRequest,
    movingId: string | null,
    code: string | null,
    early?: EarlyPlacement,
  ): Promise<{ facts: BookingFacts; clashes: PlacedBooking[]; codeTaken: boolean }> {
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
    for (const date of dates) days.push(await this.catalog.day(date, device.areaSlug, manager));
    const week = localWeek(request.start, zone);
    const day = localDay(request.start, zone);
    const query = this.placementQuery(input, movingId, code, now);
    const { rows, codeTaken } = await (early && answers(early.query, query)
      ? early.facts
      : this.bookings.placementFacts(manager, query));
    const mine = rows.filter((r) => r.booking.patronId === patron.id);
    const liveAhead = mine.filter(
      (r) => isLive(r.booking) && r.booking.end.getTime() > now.getTime(),
    );
    const counted = (time: Interval) =>
      mine.filter((r) => isCounted(r.booking) && overlaps(r.booking, time));
    const labCap = this.config.maxLiveBookingsPerPatron;
    const outages = await this.catalog.outages(device.id, request, manager);
    const certified =
      device.requiresOrientation &&
      (await this.certifications.isCertified(patron.id, device.id, request.start, manager));
    const facts: BookingFacts = {
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
      activeCount: liveAhead.filter((r) => r.booking.equipmentId === device.id).length,
      minutesThisWeek: counted(week)
        .filter((r) => r.booking.equipmentId === device.id)
        .reduce((sum, r) => sum + wallMinutes(r.booking, zone), 0),
      // Minutes the patron holds or used on the request's local day across the device's category.
      minutesThisDay:
        policy.maxMinutesPerDay === undefined
          ? 0
          : minutesWithin(
              counted(day)
                .filter((r) => r.category === device.categorySlug)
                .map((r) => r.booking),
              day,
              zone,
            ),
      liveInLab: labCap ? liveAhead.length : 0,
      labCap,
      walkIn: input.walkIn,
    };
    return { facts, clashes: rows.filter((r) => r.clashes).map((r) => r.booking), codeTaken };
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
    return earliest(clashes);
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

interface Judged {
  blockedUntil: Date;
  overridden: Refusal[];
  policy: BookingPolicy;
  device: Equipment;
  patron: User;
  codeTaken: boolean;
}

/** `placementFacts` asked early, and what it was asked. */
interface EarlyPlacement {
  query: PlacementQuery;
  facts: Promise<PlacementFacts>;
}

/**
 * Whether the answer to `asked` answers `wanted` as well: the same question but for an earlier
 * `now`, which finds the patron's bookings still going on at `now` and a few that ended since;
 * `gather` counts only those live at its own `now`.
 */
function answers(asked: PlacementQuery, wanted: PlacementQuery): boolean {
  const same = (a: Date, b: Date) => a.getTime() === b.getTime();
  return (
    asked.patronId === wanted.patronId &&
    asked.deviceId === wanted.deviceId &&
    asked.exceptId === wanted.exceptId &&
    asked.code === wanted.code &&
    asked.now.getTime() <= wanted.now.getTime() &&
    same(asked.counted.start, wanted.counted.start) &&
    same(asked.counted.end, wanted.counted.end) &&
    same(asked.keeps.start, wanted.keeps.start) &&
    same(asked.keeps.end, wanted.keeps.end)
  );
}

/** The request's end and the device's buffer after it: the time the booking keeps. */
function blockedUntil(request: Interval, policy: BookingPolicy): Date {
  return new Date(request.end.getTime() + policy.bufferMinutes * 60_000);
}

function earliest<B extends Pick<Booking, 'start'>>(bookings: B[]): B | null {
  return [...bookings].sort((a, b) => a.start.getTime() - b.start.getTime())[0] ?? null;
}

const isLive = (b: Pick<Booking, 'status'>) => LIVE_STATUSES.includes(b.status);
const isCounted = (b: Pick<Booking, 'status'>) => COUNTED_STATUSES.includes(b.status);

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
