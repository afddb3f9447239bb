import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { houseStyle } from '../common/house-style';
import { localDate } from '../common/time';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import type { Equipment } from '../equipment/equipment.entity';
import { HoursService } from '../hours/hours.service';
import { AvailabilityService } from './availability.service';
import { Booking } from './booking.entity';
import { BookingLifecycle } from './booking-lifecycle.service';
import { BookingNotifier, BookingWithParties } from './booking-notifier';
import { BookingsRepository, HitQuery } from './bookings.repository';
import {
  BookingFacts,
  Interval,
  notOnAClosure,
  OpeningDayFacts,
  withinOpeningHours,
} from './rules';

/** Something the lab does that can take time away from booked patrons. */
export type LabChange =
  | { kind: 'outage'; deviceId: string; interval: Interval; reason: string }
  | { kind: 'retired' | 'out_of_service'; deviceId: string; reason: string }
  /** `area`: the one area closed; unset, the whole library. */
  | { kind: 'closure'; date: string; reason: string; area?: string }
  /** `area`: whose weekly hours changed. */
  | { kind: 'hours'; reason: string; area: string };

/** Another device at the same time, or the same device later, offered to a displaced patron. */
export interface Alternative extends Interval {
  bookingId: string;
  equipment: string;
  equipmentName: string;
}

export interface Hits {
  /** Live bookings the change took away: now `displaced`. */
  displaced: BookingWithParties[];
  /** Bookings in use (checked in) that the change hits; they are left as they are. */
  inUse: BookingWithParties[];
  alternatives: Alternative[];
}

export interface Displacement<T> extends Hits {
  /** What the change itself returned (nothing on a preview). */
  result: T | undefined;
}

/** How many days after the lost time to look for a free time on the same device. */
const SEARCH_DAYS = 14;

/** Thrown inside the write transaction to roll a preview back, carrying what it found. */
class PreviewRollback extends Error {
  constructor(readonly found: Hits) {
    super('preview');
  }
}

/**
 * Nothing the lab does becomes a patron's fault. Outages, closures, shorter hours, retiring a
 * device or setting it out of service run through here: the change is written, and in the same
 * write transaction every live booking it hits is `displaced` with the reason, audited, and after
 * the commit its patron is told once, with a like device or the next free time. A preview makes
 * the change, finds the same bookings and rolls everything back.
 */
const ASK_THE_DESK = 'Please ask the desk for another time.';

@Injectable()
export class DisplacementService {
  constructor(
    private readonly availability: AvailabilityService,
    private readonly bookings: BookingsRepository,
    private readonly lifecycle: BookingLifecycle,
    private readonly hours: HoursService,
    private readonly notifier: BookingNotifier,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /**
   * Runs `write` (the lab's change, on the given manager) and displaces what the change hits, in
   * one write transaction. `change` may depend on what `write` returned.
   */
  async apply<T>(
    preview: boolean,
    by: User | null,
    write: (manager: EntityManager) => Promise<T>,
    change: (result: T) => LabChange | null,
  ): Promise<Displacement<T>> {
    let outcome: Displacement<T> & { notices: Map<string, string> };
    try {
      outcome = await this.writes.run(async (manager) => {
        const result = await write(manager);
        const lab = change(result);
        const found: Hits = lab
          ? await this.displace(manager, lab, by)
          : { displaced: [], inUse: [], alternatives: [] };
        if (preview) throw new PreviewRollback(found);
        // Each patron's notice is queued with the change; it is held until the alternative,
        // which can only be read once the change is committed, is added to it.
        const notices = new Map<string, string>();
        for (const booking of found.displaced) {
          const extra = `Reason: ${booking.displacedReason}\n${ASK_THE_DESK}`;
          notices.set(
            booking.id,
            await this.notifier.tell(manager, 'displaced', booking.id, extra, true),
          );
        }
        return { result, ...found, notices };
      });
    } catch (error) {
      if (error instanceof PreviewRollback) return { result: undefined, ...error.found };
      throw error;
    }
    const { notices, ...displacement } = outcome;
    displacement.alternatives = await this.tell(displacement.displaced, notices);
    return displacement;
  }

  /**
   * Locks a device before a change writes a row that points at it (an outage): that row's foreign
   * key takes a share lock on the device, and two such changes upgrading it to displace would
   * deadlock each other on PostgreSQL.
   */
  async lockDevice(manager: EntityManager, deviceId: string): Promise<void> {
    await this.bookings.lockDevice(manager, deviceId);
  }

  private async displace(
    manager: EntityManager,
    change: LabChange,
    by: User | null,
  ): Promise<Hits> {
    // A booking of the device being placed meanwhile would not see the change yet: wait for it.
    if ('deviceId' in change) await this.bookings.lockDevice(manager, change.deviceId);
    const hit = await this.hitBy(manager, change);
    const now = this.clock.now();
    const displaced: string[] = [];
    const inUse: string[] = [];
    for (const { booking, reason } of hit) {
      const applied = await this.lifecycle.apply(
        manager,
        booking,
        booking.equipment.kind,
        'displace',
        {
          displacedAt: now,
          displacedKind: change.kind,
          displacedReason: reason.slice(0, 600),
          updatedAt: now,
          sequence: booking.sequence + 1,
        },
      );
      if ('refused' in applied) {
        if (applied.refused.code === 'IN_USE') inUse.push(booking.id);
        continue;
      }
      // Another instance's sweep or the desk changed it first: it is no longer ours to displace.
      if (!applied.claimed) continue;
      await this.audit.record(manager, by, {
        action: 'booking.displaced',
        subjectType: 'booking',
        subject: booking.code,
        details: { kind: change.kind, reason },
      });
      displaced.push(booking.id);
    }
    return {
      displaced: await this.load(manager, displaced),
      inUse: await this.load(manager, inUse),
      alternatives: [],
    };
  }

  /** The bookings holding time (or in use) that the change hits, each with its reason. */
  private async hitBy(
    manager: EntityManager,
    change: LabChange,
  ): Promise<{ booking: Booking & { equipment: Equipment }; reason: string }[]> {
    const query: HitQuery = { now: this.clock.now() };
    switch (change.kind) {
      case 'outage':
        query.deviceId = change.deviceId;
        query.overlapping = change.interval;
        break;
      case 'retired':
      case 'out_of_service':
        query.deviceId = change.deviceId;
        break;
      case 'closure': {
        const day = DateTime.fromISO(change.date, { zone: this.config.timezone });
        query.overlapping = {
          start: day.startOf('day').toJSDate(),
          end: day.plus({ days: 1 }).startOf('day').toJSDate(),
        };
        break;
      }
      case 'hours':
        break;
    }
    const bookings = await this.bookings.holdingTime(manager, query);
    if (change.kind !== 'closure' && change.kind !== 'hours')
      return bookings.map((booking) => ({ booking, reason: change.reason }));
    const hit = [];
    const days = new Map<string, OpeningDayFacts>();
    for (const booking of bookings) {
      // One area's closure or hours leave the other areas' bookings as they are.
      if (change.area !== undefined && booking.equipment.areaSlug !== change.area) continue;
      const refused = await this.outsideHours(manager, booking, days);
      if (refused) hit.push({ booking, reason: refused });
    }
    return hit;
  }

  /** Why the opening hours, as they now stand, no longer allow the booking; null if they do. */
  private async outsideHours(
    manager: EntityManager,
    booking: Booking & { equipment: Equipment },
    known: Map<string, OpeningDayFacts>,
  ): Promise<string | null> {
    const zone = this.config.timezone;
    const first = localDate(booking.start, zone);
    const last = localDate(new Date(Math.max(+booking.start, +booking.end - 1)), zone);
    const days: OpeningDayFacts[] = [];
    const area = booking.equipment.areaSlug;
    for (const date of first === last ? [first] : [first, last]) {
      const key = `${area} ${date}`;
      if (!known.has(key)) known.set(key, (await this.hours.days(date, date, manager, area))[0]);
      days.push(known.get(key)!);
    }
    // The two opening-hours rules read only these facts.
    const facts = {
      request: { start: booking.start, end: booking.end },
      days,
      device: booking.equipment,
      zone,
      style: houseStyle(this.config),
      now: this.clock.now(),
    } as unknown as BookingFacts;
    return (notOnAClosure(facts) ?? withinOpeningHours(facts))?.message ?? null;
  }

  private async load(manager: EntityManager, ids: string[]): Promise<BookingWithParties[]> {
    const rows: BookingWithParties[] = [];
    for (const id of ids) rows.push(await this.bookings.getWithParties(id, manager));
    return rows;
  }

  /** Adds the first alternative found to each displaced patron's held notice, and sends it. */
  private async tell(
    displaced: BookingWithParties[],
    notices: Map<string, string>,
  ): Promise<Alternative[]> {
    const alternatives: Alternative[] = [];
    const offers: { noticeId: string; extra: string }[] = [];
    for (const booking of displaced) {
      const alternative = await this.alternativeFor(booking);
      if (alternative) alternatives.push(alternative);
      const offer = alternative
        ? `We can offer instead: the ${alternative.equipmentName}, ${houseStyle(this.config).range(alternative.start, alternative.end, this.clock.now())}. It is not held for you: book it, or ask the desk.`
        : ASK_THE_DESK;
      const noticeId = notices.get(booking.id);
      if (noticeId)
        offers.push({ noticeId, extra: `Reason: ${booking.displacedReason}\n${offer}` });
    }
    if (offers.length > 0) {
      await this.writes.run(async (manager) => {
        for (const { noticeId, extra } of offers)
          await this.notifier.release(manager, noticeId, extra);
      });
    }
    return alternatives;
  }

  /**
   * A like device (same area, category and kind) free at the same time, else, unless the device is
   * gone, the same device's next free time of the same length after the time lost.
   */
  private async alternativeFor(booking: BookingWithParties): Promise<Alternative | null> {
    const device = booking.equipment;
    const same = { start: booking.start, end: booking.end };
    const like = (await this.availability.freeDuring(same, device.categorySlug)).find(
      (d) => d.id !== device.id && d.kind === device.kind && d.areaSlug === device.areaSlug,
    );
    if (like)
      return { bookingId: booking.id, equipment: like.slug, equipmentName: like.name, ...same };
    if (booking.displacedKind === 'retired' || booking.displacedKind === 'out_of_service')
      return null;
    return this.laterOnSameDevice(booking);
  }

  private async laterOnSameDevice(booking: BookingWithParties): Promise<Alternative | null> {
    const device = booking.equipment;
    const minutes = (booking.end.getTime() - booking.start.getTime()) / 60_000;
    const from = new Date(Math.max(+booking.start, +this.clock.now()));
    const first = DateTime.fromJSDate(from, { zone: this.config.timezone }).startOf('day');
    for (let day = 0; day < SEARCH_DAYS; day++) {
      const date = first.plus({ days: day }).toISODate()!;
      const { slots } = await this.availability.day(device.slug, date);
      for (let i = 0; i < slots.length; i++) {
        if (slots[i].start < from) continue;
        const wantedEnd = new Date(slots[i].start.getTime() + minutes * 60_000);
        // Extend over back-to-back free slots until the booking's length is covered.
        let reached = slots[i].start;
        for (let k = i; k < slots.length && reached < wantedEnd; k++) {
          if (!slots[k].available || slots[k].start.getTime() !== reached.getTime()) break;
          reached = slots[k].end;
        }
        if (reached >= wantedEnd) {
          return {
            bookingId: booking.id,
            equipment: device.slug,
            equipmentName: device.name,
            start: slots[i].start,
            end: wantedEnd,
          };
        }
      }
    }
    return null;
  }
}
