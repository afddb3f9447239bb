import { Injectable } from '@nestjs/common';
import { CatalogListener } from '../database/catalog-listener';
import { HeldWhileUnchanged } from '../database/held-while-unchanged';
import { PATRON_FACTS_CHANNEL } from '../database/migrations/1765220000000-patron-facts-notify';
import { SqliteChanges } from '../database/sqlite-changes';
import { WriteTransactionService } from '../database/write-transaction.service';
import { type BookingStatus, COUNTED_STATUSES, LIVE_STATUSES } from './booking-status';
import type { Interval } from './rules';

/** One booking of a patron, as availability judges the patron by it. */
export interface PatronBookingFact extends Interval {
  id: string;
  equipmentId: string;
  category: string;
  status: BookingStatus;
}

/** What availability judges a signed-in patron by: their bookings and certifications. */
export interface PatronFacts {
  bookings: PatronBookingFact[];
  /** Each certified device's lapse (null: never). */
  certifiedUntil: Map<string, Date | null>;
}

interface Held extends PatronFacts {
  /** When the facts were read: they hold the live bookings that had not ended then. */
  readAt: number;
}

const weeksKey = (weeks: Interval) => `${weeks.start.getTime()} ${weeks.end.getTime()}`;

/** More patrons than look at availability between two changes of the catalog: past this, start afresh. */
const MOST_HELD = 5_000;

/** More spans of weeks than one patron looks through between two changes: past this, afresh. */
const MOST_WEEKS_HELD = 16;

/** Tables whose changes name the patron whose facts they change, by their `patron_id`. */
const BY_PATRON = ['bookings', 'certifications', 'manual_progress'];

/** Tables whose changes may change any patron's facts: the devices and the walkthroughs. */
const FOR_ALL = ['equipment', 'manuals', 'manual_revisions', 'manual_equipment'];

/**
 * Each signed-in patron's facts as last read (`BookingsRepository.ofPatronForAvailability`), so
 * a patron looking from day to day does not read their own bookings again each time. A held read
 * serves a later time within the same weeks: the bookings it holds are filtered again for that
 * time. What is held only labels slots for the patron: a booking is judged afresh in its
 * transaction.
 *
 * With them, for devices that need an orientation, the walkthroughs revised since the patron
 * was certified that they have not read again (`rereads`).
 *
 * - **SQLite** (`SqliteChanges`): a change to a patron's bookings, certifications or reading
 *   progress through the server's connection drops theirs as it is made, a change to the devices
 *   (a category, which the facts name) or the walkthroughs, or a commit by another connection,
 *   drops all, and facts read while a transaction that changed the patron's rows is open are not
 *   kept.
 * - **PostgreSQL**: held only while `CatalogListener` hears every change to those tables (the
 *   `patron_facts_changed` migration) and to the catalog; anything heard drops all, as does each
 *   write transaction of this instance as it commits, before it is answered.
 *
 * A read that began before a drop is not kept.
 */
@Injectable()
export class PatronFactsCache {
  /** By patron, then by the weeks read (a look at a day near a week's end reads two). */
  private held = new Map<string, Map<string, Held>>();
  /** By patron, then by the devices asked about: walkthroughs revised since they certified. */
  private rereadsHeld = new Map<string, Map<string, Map<string, string[]>>>();
  private readonly rule: HeldWhileUnchanged;

  constructor(
    private readonly changes: SqliteChanges,
    listener: CatalogListener,
    writes: WriteTransactionService,
  ) {
    this.rule = new HeldWhileUnchanged(changes, listener, writes, PATRON_FACTS_CHANNEL, () => {
      this.held = new Map();
      this.rereadsHeld = new Map();
    });
    for (const table of BY_PATRON) {
      changes.follow(
        `facts_${table}`,
        table,
        ['INSERT', 'UPDATE', 'DELETE'],
        'patron_id',
        (patron) => (patron === null ? this.forgetAll() : this.forget(patron as string)),
      );
    }
    for (const table of FOR_ALL)
      changes.follow(`facts_${table}`, table, ['INSERT', 'UPDATE', 'DELETE'], null, () =>
        this.forgetAll(),
      );
  }

  /**
   * The walkthroughs the patron is to re-read for these devices (`ManualsService.rereadsOf`), as
   * held, or as `load` reads them, kept by the same rules as the facts.
   */
  async rereads(
    patronId: string,
    deviceIds: string[],
    load: () => Promise<Map<string, string[]>>,
  ): Promise<Map<string, string[]>> {
    if (deviceIds.length === 0) return new Map();
    const key = [...deviceIds].sort().join(' ');
    const held = this.rule.current() ? this.rereadsHeld.get(patronId)?.get(key) : undefined;
    if (held) return held;
    const since = this.reading();
    const found = await load();
    if (this.keeping(patronId, since)) {
      const patron = this.rereadsHeld.get(patronId) ?? new Map<string, Map<string, string[]>>();
      if (this.rereadsHeld.size >= MOST_HELD) this.rereadsHeld = new Map();
      this.rereadsHeld.set(patronId, patron.set(key, found));
    }
    return found;
  }

  /** Marks the start of a read from the database, for `keep`. */
  reading(): number {
    this.rule.current();
    return this.rule.generation;
  }

  /** The patron's facts for `weeks` as of `now`, if held. */
  get(patronId: string, weeks: Interval, now: Date): PatronFacts | undefined {
    if (!this.rule.current()) return undefined;
    const held = this.held.get(patronId)?.get(weeksKey(weeks));
    if (!held || held.readAt > now.getTime()) return undefined;
    return {
      bookings: held.bookings.filter((b) => wanted(b, weeks, now)),
      certifiedUntil: held.certifiedUntil,
    };
  }

  /**
   * Keeps facts read since `readingSince` (`reading`), unless anything was dropped meanwhile, or,
   * on SQLite, a transaction still open has changed the patron's rows or the devices.
   */
  keep(
    patronId: string,
    weeks: Interval,
    now: Date,
    facts: PatronFacts,
    readingSince: number,
  ): void {
    if (!this.keeping(patronId, readingSince)) return;
    let patron = this.held.get(patronId) ?? new Map<string, Held>();
    if (patron.size >= MOST_WEEKS_HELD) patron = new Map();
    if (this.held.size >= MOST_HELD) this.held = new Map();
    this.held.set(patronId, patron.set(weeksKey(weeks), { ...facts, readAt: now.getTime() }));
  }

  /** Whether what was read since `readingSince` may be kept for the patron. */
  private keeping(patronId: string, readingSince: number): boolean {
    if (!this.rule.current() || readingSince !== this.rule.generation) return false;
    if (!this.changes.active) return true;
    if (FOR_ALL.some((table) => this.changes.changing(`facts_${table}`))) return false;
    return !BY_PATRON.some((table) => this.changes.changing(`facts_${table}`, patronId));
  }

  private forget(patronId: string): void {
    this.rule.moveOn();
    this.held.delete(patronId);
    this.rereadsHeld.delete(patronId);
  }

  private forgetAll(): void {
    this.rule.drop();
  }
}

/** Whether availability would read this booking for `weeks` at `now`. */
function wanted(booking: PatronBookingFact, weeks: Interval, now: Date): boolean {
  const status = booking.status;
  return (
    (LIVE_STATUSES.includes(status) && booking.end.getTime() > now.getTime()) ||
    (COUNTED_STATUSES.includes(status) &&
      booking.start.getTime() < weeks.end.getTime() &&
      booking.end.getTime() > weeks.start.getTime())
  );
}
