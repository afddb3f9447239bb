import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import type { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { roleAllows } from '../common/guards/roles.guard';
import { isRealDate, parseInstant } from '../common/time';
import { AppConfig } from '../config/app-config';
import { writeAppendedRows } from '../database/rows';
import { WriteTransactionService } from '../database/write-transaction.service';
import { EquipmentService } from '../equipment/equipment.service';
import { decideBy, effectivePolicy } from '../equipment/policy';
import { Booking, type BookingStatus } from './booking.entity';
import { LIVE_STATUSES } from './booking-status';
import { BookingEngine, type Placed, usableFrom } from './booking-engine.service';
import { LabCatalog } from './lab-catalog';
import { BookingLifecycle } from './booking-lifecycle.service';
import { BookingNotifier, BookingWithParties } from './booking-notifier';
import { normaliseBookingCode } from './booking-codes';
import { checkAnswers } from './booking-answers';
import { BookingsRepository } from './bookings.repository';
import { onlyKitsDue, transition } from './lifecycle';
import { BookingQueryDto } from './dto/booking-query.dto';
import { CreateBookingDto } from './dto/create-booking.dto';
import { DeskCheckInDto } from './dto/desk.dto';
import { RescheduleBookingDto } from './dto/reschedule-booking.dto';
import type { Interval } from './rules';
import { WaitlistService } from './waitlist.service';

@Injectable()
export class BookingsService {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly engine: BookingEngine,
    private readonly lifecycle: BookingLifecycle,
    private readonly accounts: AccountsService,
    private readonly equipment: EquipmentService,
    private readonly catalog: LabCatalog,
    private readonly waitlist: WaitlistService,
    private readonly notifier: BookingNotifier,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * `sessionToConfirm`: the session the request was let in on from memory, confirmed as the device
   * is locked (`@ConfirmsSession()`).
   */
  async create(
    actor: User,
    dto: CreateBookingDto,
    idempotencyKey?: string,
    sessionToConfirm?: string,
  ): Promise<BookingWithParties> {
    const patron = await this.patronFor(actor, dto.cardNumber);
    const request = interval(dto.start, dto.end);
    const device = await this.catalog.device(dto.equipment);
    if (idempotencyKey) {
      const earlier = await this.replay(actor, idempotencyKey, device.id, patron.id, request);
      if (earlier) return earlier;
    }
    const staff = actor.role !== 'patron';
    const policy = effectivePolicy(device.category.policy, device.policyOverrides);
    const asked = checkAnswers(policy, dto.answers, dto.acceptTerms, this.clock.now());
    if (dto.overrideReason !== undefined && !staff)
      throw new ForbiddenException('Only staff can set a booking rule aside.');
    let placed: Placed;
    try {
      placed = await this.writes.run(async (manager) => {
        const booking = await this.engine.place(manager, {
          device,
          patron,
          request,
          createdById: actor.id,
          walkIn: staff,
          idempotencyKey,
          overrideReason: dto.overrideReason,
          ...asked,
          session: sessionToConfirm === undefined ? undefined : { id: sessionToConfirm, actor },
          // Written with its audit record and notice, in one statement on PostgreSQL.
          append: true,
        });
        const judged = booking.equipment;
        const walkInStarted = staff && judged.kind !== 'loan' && booking.start <= booking.createdAt;
        if (walkInStarted) {
          await writeAppendedRows(manager);
          await this.checkInOnTheSpot(manager, booking);
        }
        await this.audit.record(manager, actor, {
          action: 'booking.created',
          subjectType: 'booking',
          subject: booking.code,
          details: {
            equipment: judged.slug,
            patron: booking.patron.cardNumber,
            start: booking.start.toISOString(),
            end: booking.end.toISOString(),
            ...(dto.overrideReason === undefined
              ? {}
              : {
                  overrideReason: dto.overrideReason,
                  rulesSetAside: booking.overridden.map((r) => r.code).join(', ') || 'none',
                }),
          },
        });
        const notice = booking.status === 'pending' ? 'requested' : 'confirmed';
        await this.notifier.tell(manager, notice, booking);
        return booking;
      });
    } catch (error) {
      // Two retries of one request racing each other: the loser answers with the winner's booking.
      const earlier = idempotencyKey
        ? await this.replay(actor, idempotencyKey, device.id, patron.id, request)
        : null;
      if (earlier) return earlier;
      throw error;
    }
    // Everything the answer shows was just written or judged: nothing to read back.
    return placed;
  }

  /**
   * A walk-in booked at the desk for a slot that has already begun: the patron is standing
   * there, so the booking is checked in as it is made and can never turn into a no-show.
   */
  private async checkInOnTheSpot(manager: EntityManager, booking: Booking): Promise<void> {
    const at = booking.createdAt;
    booking.status = await this.lifecycle.change(manager, booking, 'station', 'check_in', {
      checkedInAt: at,
      updatedAt: at,
    });
    booking.checkedInAt = at;
  }

  /** The booking a retried request already made, or a 422 if the key was used for something else. */
  private async replay(
    actor: User,
    key: string,
    deviceId: string,
    patronId: string,
    request: Interval,
  ): Promise<BookingWithParties | null> {
    const earlier = await this.bookings.findByIdempotencyKey(actor.id, key);
    if (!earlier) return null;
    const same =
      earlier.equipmentId === deviceId &&
      earlier.patronId === patronId &&
      sameInterval(earlier, request);
    if (!same) {
      throw new UnprocessableEntityException({
        code: 'IDEMPOTENCY_KEY_REUSED',
        message:
          'This Idempotency-Key was already used for a different booking. Send a new key for a new booking.',
      });
    }
    return earlier;
  }

  async list(actor: User, query: BookingQueryDto): Promise<BookingWithParties[]> {
    return this.bookings.list({
      patronId: actor.role === 'patron' ? actor.id : undefined,
      endsAfter: query.from ? this.bound(query.from, 'start') : undefined,
      startsBefore: query.to ? this.bound(query.to, 'end') : undefined,
      equipmentSlug: query.equipment,
      status: query.status,
      limit: query.limit ?? 200,
      offset: query.offset ?? 0,
    });
  }

  /** A local date means its first or last moment; an instant means itself. */
  private bound(value: string, side: 'start' | 'end'): Date {
    if (!isRealDate(value)) return parseInstant(value)!;
    const day = DateTime.fromISO(value, { zone: this.config.timezone });
    return (
      side === 'start' ? day.startOf('day') : day.plus({ days: 1 }).startOf('day')
    ).toJSDate();
  }

  /** One booking, for its patron or staff; others are told it does not exist. */
  async get(actor: User, id: string): Promise<BookingWithParties> {
    const booking = await this.bookings.findWithParties(id);
    if (!booking || (actor.role === 'patron' && booking.patronId !== actor.id))
      throw new NotFoundException('There is no such booking.');
    return booking;
  }

  async reschedule(
    actor: User,
    id: string,
    dto: RescheduleBookingDto,
  ): Promise<BookingWithParties> {
    const booking = await this.get(actor, id);
    if (!MOVABLE.includes(booking.status)) throw this.wrongStatus(booking, 'moved');
    const request = interval(dto.start, dto.end);
    const device = await this.deviceToMoveTo(booking, dto.equipment);
    const freed: Interval = { start: booking.start, end: booking.blockedUntil };
    await this.writes.run(async (manager) => {
      const current = await this.bookings.get(id, manager);
      if (!MOVABLE.includes(current.status)) throw this.wrongStatus(current, 'moved');
      const input = {
        device,
        patron: booking.patron,
        request,
        createdById: actor.id,
        walkIn: actor.role !== 'patron',
      };
      await this.engine.move(manager, current, input);
      // A patron moving an approved booking of a device that needs approval asks again.
      const policy = effectivePolicy(device.category.policy, device.policyOverrides);
      const asksAgain =
        policy.requiresApproval === true &&
        actor.id === booking.patronId &&
        current.status === 'confirmed';
      if (asksAgain || current.status === 'pending') {
        const now = this.clock.now();
        const changes = { decideBy: decideBy(policy, now, request.start), updatedAt: now };
        if (asksAgain)
          await this.lifecycle.change(manager, current, device.kind, 'request', changes);
        else await this.bookings.update(manager, id, changes);
      }
      await this.audit.record(manager, actor, {
        action: 'booking.moved',
        subjectType: 'booking',
        subject: current.code,
        details: {
          from: booking.start.toISOString(),
          to: request.start.toISOString(),
          end: request.end.toISOString(),
          ...(device.id === booking.equipmentId
            ? {}
            : { fromEquipment: booking.equipment.slug, toEquipment: device.slug }),
        },
      });
      await this.notifier.tell(manager, asksAgain ? 'requested' : 'changed', id);
    });
    const moved = await this.load(id);
    await this.waitlist.promote(booking.equipmentId, freed);
    return moved;
  }

  /** The booking's own device, or another of the same category it is asked to move to. */
  private async deviceToMoveTo(
    booking: BookingWithParties,
    slug: string | undefined,
  ): Promise<BookingWithParties['equipment']> {
    if (slug === undefined || slug === booking.equipment.slug) return booking.equipment;
    const device = await this.equipment.get(slug);
    if (
      device.categorySlug !== booking.equipment.categorySlug ||
      device.kind !== booking.equipment.kind
    )
      throw new UnprocessableEntityException({
        code: 'OTHER_KIND_OF_DEVICE',
        message: `${device.name} is not the same kind of device as ${booking.equipment.name}; pick another ${booking.equipment.category.name}.`,
      });
    return device;
  }

  /**
   * What the desk sees of a patron's bookings: those not over yet, and their no-shows, all of
   * them and those within the window that pauses booking.
   */
  async patronRecord(patronId: string): Promise<PatronRecord> {
    const now = this.clock.now();
    const windowStart = new Date(now.getTime() - this.config.noShowWindowDays * 86_400_000);
    const [ahead, noShows, recentNoShows] = await Promise.all([
      this.bookings.list({ patronId, endsAfter: now, limit: 200, offset: 0 }),
      this.bookings.countNoShows(patronId, new Date(0)),
      this.bookings.countNoShows(patronId, windowStart),
    ]);
    const upcoming = ahead.filter((b) => LIVE_STATUSES.includes(b.status));
    return { upcoming, noShows, recentNoShows };
  }

  /** Booking requests waiting for staff to approve or decline them. */
  async pendingCount(): Promise<number> {
    return this.bookings.countInStatus('pending');
  }

  /** Staff approve a pending booking: it is confirmed and its patron told. */
  async approve(staff: User, id: string): Promise<BookingWithParties> {
    const booking = await this.load(id);
    const now = this.clock.now();
    await this.writes.run(async (manager) => {
      const current = await this.bookings.get(id, manager);
      await this.lifecycle.change(manager, current, booking.equipment.kind, 'approve', {
        decidedAt: now,
        decidedById: staff.id,
        decideBy: null,
        usableFrom: usableFrom(current.start, now),
        updatedAt: now,
        sequence: current.sequence + 1,
      });
      await this.audit.record(manager, staff, {
        action: 'booking.approved',
        subjectType: 'booking',
        subject: current.code,
      });
      await this.notifier.tell(manager, 'approved', id);
    });
    return this.load(id);
  }

  /** Staff deny a pending booking, saying why: the time is freed and its patron told. */
  async deny(staff: User, id: string, reason: string): Promise<BookingWithParties> {
    const booking = await this.load(id);
    const now = this.clock.now();
    await this.writes.run(async (manager) => {
      const current = await this.bookings.get(id, manager);
      await this.lifecycle.change(manager, current, booking.equipment.kind, 'deny', {
        decidedAt: now,
        decidedById: staff.id,
        decisionReason: reason,
        cancelledAt: now,
        updatedAt: now,
        sequence: current.sequence + 1,
      });
      await this.audit.record(manager, staff, {
        action: 'booking.denied',
        subjectType: 'booking',
        subject: current.code,
        details: { reason },
      });
      await this.notifier.tell(manager, 'denied', id, `The lab's reason: ${reason}`);
    });
    const denied = await this.load(id);
    await this.waitlist.promote(booking.equipmentId, {
      start: booking.start,
      end: booking.blockedUntil,
    });
    return denied;
  }

  async cancel(actor: User, id: string): Promise<BookingWithParties> {
    const booking = await this.get(actor, id);
    const now = this.clock.now();
    await this.writes.run(async (manager) => {
      const current = await this.bookings.get(id, manager);
      await this.lifecycle.change(manager, current, booking.equipment.kind, 'cancel', {
        cancelledAt: now,
        updatedAt: now,
        sequence: current.sequence + 1,
      });
      await this.audit.record(manager, actor, {
        action: 'booking.cancelled',
        subjectType: 'booking',
        subject: current.code,
      });
      await this.notifier.tell(manager, 'cancelled', id);
    });
    const cancelled = await this.load(id);
    await this.waitlist.promote(booking.equipmentId, {
      start: booking.start,
      end: booking.blockedUntil,
    });
    return cancelled;
  }

  async checkIn(staff: User, id: string): Promise<BookingWithParties> {
    const booking = await this.load(id);
    const now = this.clock.now();
    await this.writes.run(async (manager) => {
      const current = await this.bookings.get(id, manager);
      await this.lifecycle.change(
        manager,
        current,
        booking.equipment.kind,
        'check_in',
        { checkedInAt: now, updatedAt: now },
        () => this.refuseIfNotDue(booking, now),
      );
      await this.audit.record(manager, staff, {
        action: 'booking.checked_in',
        subjectType: 'booking',
        subject: current.code,
      });
    });
    return this.load(id);
  }

  /** Checks in the booking due now for a code read out, or every one due now for a scanned card. */
  async deskCheckIn(staff: User, dto: DeskCheckInDto): Promise<BookingWithParties[]> {
    if (dto.code !== undefined) {
      const booking = await this.bookings.findByCode(normaliseBookingCode(dto.code));
      if (!booking)
        throw new NotFoundException(`No booking has the code ${normaliseBookingCode(dto.code)}.`);
      return [await this.checkIn(staff, booking.id)];
    }
    const patron = await this.accounts.findPatronByCard(dto.cardNumber!);
    if (!patron) throw new NotFoundException(`No patron has card number ${dto.cardNumber}.`);
    const now = this.clock.now();
    const early = new Date(now.getTime() + this.config.checkInEarlyMinutes * 60_000);
    const due = await this.bookings.confirmedOfPatronAround(patron.id, early, now);
    const stations = due.filter(
      (b) => 'next' in transition(b.status, 'check_in', b.equipment.kind),
    );
    if (stations.length === 0 && due.length > 0)
      throw new UnprocessableEntityException(onlyKitsDue(patron.name, due.length));
    if (stations.length === 0) {
      throw new UnprocessableEntityException({
        code: 'NOTHING_DUE',
        message: `${patron.name} has no booking due now.`,
      });
    }
    const checkedIn: BookingWithParties[] = [];
    for (const booking of stations) checkedIn.push(await this.checkIn(staff, booking.id));
    return checkedIn;
  }

  async complete(staff: User, id: string, notes: string | undefined): Promise<BookingWithParties> {
    const now = this.clock.now();
    const booking = await this.load(id);
    await this.writes.run(async (manager) => {
      const current = await this.bookings.get(id, manager);
      await this.lifecycle.change(manager, current, booking.equipment.kind, 'complete', {
        completedAt: now,
        updatedAt: now,
        notes: notes ?? current.notes,
      });
      await this.audit.record(manager, staff, {
        action: 'booking.completed',
        subjectType: 'booking',
        subject: current.code,
        details: notes ? { notes } : undefined,
      });
    });
    return this.load(id);
  }

  async load(id: string): Promise<BookingWithParties> {
    const booking = await this.bookings.findWithParties(id);
    if (!booking) throw new NotFoundException('There is no such booking.');
    return booking;
  }

  private refuseIfNotDue(booking: Booking, now: Date): void {
    const opens = new Date(booking.start.getTime() - this.config.checkInEarlyMinutes * 60_000);
    if (now >= opens && now < booking.end) return;
    const when = houseStyle(this.config).dateTime(booking.start, now);
    throw new UnprocessableEntityException({
      code: 'NOT_DUE',
      message:
        now < opens
          ? `This booking starts ${when}; check-in opens ${this.config.checkInEarlyMinutes} minutes before.`
          : 'This booking has already ended.',
    });
  }

  private wrongStatus(booking: Booking, verb: string): ConflictException {
    const state = booking.status.replace('_', ' ');
    return new ConflictException({
      code: 'WRONG_STATUS',
      message: `This booking is ${state} and can no longer be ${verb}.`,
    });
  }

  /** A patron books for themself; staff book for the patron whose card they name. */
  private async patronFor(actor: User, cardNumber: string | undefined): Promise<User> {
    if (!roleAllows(actor.role, ['staff'])) {
      if (cardNumber !== undefined && cardNumber !== actor.cardNumber)
        throw new ForbiddenException('Patrons can only book for themselves.');
      return actor;
    }
    if (cardNumber === undefined)
      throw new BadRequestException('cardNumber is required when staff book on behalf of a patron');
    const patron = await this.accounts.findPatronByCard(cardNumber);
    if (!patron) throw new NotFoundException(`No patron has card number ${cardNumber}.`);
    return patron;
  }
}

/** A booking can be moved while it is waiting for approval or confirmed and not yet used. */
const MOVABLE: BookingStatus[] = ['pending', 'confirmed'];

export interface PatronRecord {
  /** Pending, confirmed and checked-in bookings that have not ended, soonest first. */
  upcoming: BookingWithParties[];
  noShows: number;
  /** No-shows within `NO_SHOW_WINDOW_DAYS`: at `NO_SHOW_LIMIT` booking is paused. */
  recentNoShows: number;
}

function interval(start: string, end: string): Interval {
  const request = { start: parseInstant(start)!, end: parseInstant(end)! };
  if (request.end <= request.start) throw new BadRequestException('end must be later than start');
  return request;
}

function sameInterval(a: Interval, b: Interval): boolean {
  return a.start.getTime() === b.start.getTime() && a.end.getTime() === b.end.getTime();
}
