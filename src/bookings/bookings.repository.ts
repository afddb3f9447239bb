import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, In, Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { readVersion, versionSeenBy } from '../database/catalog-version';
import { fromDbInstant, ON_POSTGRES, toDbInstant } from '../database/instant';
import { constantList, queryNamed, queryNamedNow } from '../database/named-query';
import { appendRow, insertRow, RowReader } from '../database/rows';
import type { Equipment, EquipmentKind } from '../equipment/equipment.entity';
import { Booking, BookingStatus, COUNTED_STATUSES, LIVE_STATUSES } from './booking.entity';
import { OVERDUE_KIT_SQL } from './overdue-kit';
import { PatronFactsCache, type PatronFacts } from './patron-facts';
import type { Interval } from './rules';

export type BookingWithParties = Booking & { equipment: Equipment; patron: User };

/** Bookings of one device or patron in one status: how many, and their time in a period. */
export interface UsageTotal {
  key: string;
  status: BookingStatus;
  count: number;
  ms: number;
}

/** A booking `placementFacts` found, with its device's category and whether it clashes. */
/** What placing a booking reads of the other bookings it looks at. */
const PLACED = [
  'id',
  'code',
  'equipmentId',
  'patronId',
  'start',
  'end',
  'blockedUntil',
  'status',
] as const;
export type PlacedBooking = Pick<Booking, (typeof PLACED)[number]>;

/** The statuses the hot statements read, written into them (see `constantList`). */
const LIVE = constantList(LIVE_STATUSES);
const COUNTED = constantList(COUNTED_STATUSES);

/**
 * The arms of a UNION ALL (each its FROM and WHERE, over `equipment e` and `bookings b`) that find
 * the live bookings of the devices `e.id ${devices}` whose blocked time reaches into
 * [`at.start`, `at.end`), and the overdue kits among them that started earlier (an overdue kit
 * keeps its device from its start until it is returned), each booking by one arm at most.
 *
 * On SQLite each arm is a few index seeks, however long the device's past. The live bookings of
 * a device never overlap (the database refuses it), so sorted by start they are sorted by end:
 * of those starting before `at.start`, only the last of each status can reach into it. Read as
 * "live, starts before `at.end`, ends after `at.start`", the same question walked every live
 * booking of the device that starts before `at.end`, its whole past for a time in the future.
 * `except` leaves a booking out (a move's own), also when finding the last before `at.start`.
 */
function blockingArms(
  devices: string,
  at: { start: string; end: string },
  except: string | null,
): string[] {
  const leaveOut = (alias: string) => (except ? ` AND ${alias}.id <> ${except}` : '');
  if (ON_POSTGRES) {
    // PostgreSQL keeps the one question. Planning the seeks' correlated subqueries for 29 devices
    // took 3 ms (the one question 0.5 ms), and a prepared statement is planned afresh while its
    // custom plans look cheaper. The exclusion constraint's GiST index could answer the overlap
    // itself; not measured in the bench yet.
    return [
      `FROM bookings b INNER JOIN equipment e ON e.id = b.equipment_id
         WHERE b.equipment_id ${devices} AND b.status IN (${LIVE}) AND b.start_at < ${at.end}
           AND (b.blocked_until > ${at.start} OR (${OVERDUE_KIT_SQL}))${leaveOut('b')}`,
    ];
  }
  const from = 'FROM equipment e INNER JOIN bookings b ON b.equipment_id = e.id';
  const lastBefore = LIVE_STATUSES.map(
    (status) =>
      `(SELECT l.id FROM bookings l WHERE l.equipment_id = e.id AND l.status = '${status}'
         AND l.start_at < ${at.start}${leaveOut('l')} ORDER BY l.start_at DESC LIMIT 1)`,
  );
  return [
    `${from} WHERE e.id ${devices} AND b.status IN (${LIVE})
       AND b.start_at >= ${at.start} AND b.start_at < ${at.end}${leaveOut('b')}`,
    // Joined on the ids, so the bookings are found by id, not by walking the device's.
    `FROM equipment e INNER JOIN bookings b ON b.id IN (${lastBefore.join(', ')})
       WHERE e.id ${devices} AND b.blocked_until > ${at.start}`,
    `${from} WHERE e.id ${devices} AND (${OVERDUE_KIT_SQL})
       AND b.start_at < ${at.start} AND b.blocked_until <= ${at.start}${leaveOut('b')}`,
  ];
}

/**
 * The earlier of two instants. What a patron is judged by (live bookings not ended at `now`, and
 * those within the counted weeks) all end after the earlier of `now` and the weeks' start; said
 * outright, that bound lets the patron's bookings be read from (patron_id, end_at) from there on,
 * not walked from the patron's first booking.
 */
function earlier(a: Date, b: Date): Date {
  return a < b ? a : b;
}

/** Which of `placementFacts`' questions found a row. */
const ARM = { mine: 0, clashes: 1, code: 2 } as const;

export interface PlacementRow {
  booking: PlacedBooking;
  category: string;
  clashes: boolean;
}

/** What `placementFacts` is asked about. */
export interface PlacementQuery {
  patronId: string;
  deviceId: string;
  exceptId: string | null;
  now: Date;
  counted: Interval;
  keeps: Interval;
  code: string | null;
}

export interface PlacementFacts {
  rows: PlacementRow[];
  codeTaken: boolean;
}

/**
 * The relations every booking response and e-mail needs: the device (with its category and area,
 * whose age limits the rules read) and the patron.
 */
export const PARTIES = { equipment: { category: true, area: true }, patron: true } as const;

export interface BookingFilter {
  patronId?: string;
  /** Bookings that end after this instant. */
  endsAfter?: Date;
  /** Bookings that start before this instant. */
  startsBefore?: Date;
  /** Bookings that start at or after this instant. */
  startsFrom?: Date;
  equipmentSlug?: string;
  /** Bookings of the devices of one area. */
  areaSlug?: string;
  status?: BookingStatus;
  limit: number;
  offset: number;
}

/** Which live bookings a lab change can hit, besides ending after `now`. */
export interface HitQuery {
  now: Date;
  deviceId?: string;
  overlapping?: Interval;
}

/**
 * The only code that reads or writes the `bookings` table. It holds no business rules: the
 * services decide, this runs their questions and writes. Calls inside a write transaction pass
 * its `manager`; reads outside one leave it out.
 */
/** A booking as availability needs it: its time, what it blocks, and its device's kind. */
export interface BlockingBooking {
  id: string;
  equipmentId: string;
  start: Date;
  end: Date;
  blockedUntil: Date;
  status: BookingStatus;
  kind: EquipmentKind;
}

/** One of a patron's bookings as availability judges them: its device, category and time. */
/** A booking of the patron (`certification` 0) or a certification they hold (1). */
interface PatronFactRow {
  certification: number | string;
  id: string | null;
  equipment_id: string;
  category_slug: string | null;
  start_at: unknown;
  end_at: unknown;
  status: BookingStatus | null;
  expires_at: unknown;
}

interface BlockingRow {
  id: string;
  equipment_id: string;
  start_at: unknown;
  end_at: unknown;
  blocked_until: unknown;
  status: BookingStatus;
  kind: EquipmentKind;
}

@Injectable()
export class BookingsRepository {
  constructor(
    @InjectRepository(Booking) private readonly bookings: Repository<Booking>,
    private readonly patronFacts: PatronFactsCache,
  ) {}

  private reader?: RowReader<Booking>;
  private placedReader?: RowReader<Booking>;

  /** Bookings read back from hand-written SQL (alias `b`). */
  private bookingReader(): RowReader<Booking> {
    this.reader ??= new RowReader(this.bookings.manager.connection, Booking, 'b');
    return this.reader;
  }

  /** The eight columns a placement judges other bookings by (`PLACED`). */
  private placedBookingReader(): RowReader<Booking> {
    this.placedReader ??= new RowReader(this.bookings.manager.connection, Booking, 'b', PLACED);
    return this.placedReader;
  }

  private repo(manager?: EntityManager): Repository<Booking> {
    return manager ? manager.getRepository(Booking) : this.bookings;
  }

  // ---- the device lock -------------------------------------------------------------------

  /**
   * Serializes everything that books or changes the bookings of one device. On PostgreSQL a row
   * lock on the device; on SQLite the write queue already runs one transaction at a time.
   */
  async lockDevice(manager: EntityManager, deviceId: string): Promise<void> {
    await this.lockDeviceReadingCatalog(manager, deviceId, undefined);
  }

  /**
   * `lockDevice`, also telling the catalog version as the lock is taken: on PostgreSQL in the
   * lock's own statement, on SQLite from the statement that began the write. `also`: columns and
   * joins the lock's statement carries besides, on PostgreSQL, read back as `row` (the device's
   * row is the one the joins hang from; no row when there is no such device, or on SQLite).
   */
  async lockDeviceReadingCatalog(
    manager: EntityManager,
    deviceId: string,
    also: { columns: string; joins: string; parameters: Record<string, unknown> } | undefined,
  ): Promise<{ version: number; row?: Record<string, unknown> }> {
    if (manager.connection.options.type === 'postgres') {
      const rows = await queryNamed<Record<string, unknown> & { version: number | string }>(
        manager,
        also
          ? `SELECT v.version, ${also.columns} FROM equipment e CROSS JOIN catalog_version v ${also.joins} WHERE e.id = :device AND v.id = 1 FOR UPDATE OF e`
          : 'SELECT v.version FROM equipment e CROSS JOIN catalog_version v WHERE e.id = :device AND v.id = 1 FOR UPDATE OF e',
        { ...also?.parameters, device: deviceId },
      );
      return rows.length
        ? { version: Number(rows[0].version), row: rows[0] }
        : { version: await readVersion(manager) };
    }
    return { version: versionSeenBy(manager) ?? (await readVersion(manager)) };
  }

  // ---- one booking -----------------------------------------------------------------------

  async find(id: string, manager?: EntityManager): Promise<Booking | null> {
    return this.repo(manager).findOneBy({ id });
  }

  async get(id: string, manager?: EntityManager): Promise<Booking> {
    return this.repo(manager).findOneByOrFail({ id });
  }

  async findWithParties(id: string, manager?: EntityManager): Promise<BookingWithParties | null> {
    return this.repo(manager).findOne({ where: { id }, relations: PARTIES });
  }

  /** A booking known to exist, with its device and patron. */
  async getWithParties(id: string, manager?: EntityManager): Promise<BookingWithParties> {
    return this.repo(manager).findOneOrFail({ where: { id }, relations: PARTIES });
  }

  async findByCode(code: string): Promise<Booking | null> {
    return this.bookings.findOneBy({ code });
  }

  async codeExists(manager: EntityManager, code: string): Promise<boolean> {
    return manager.existsBy(Booking, { code });
  }

  async findByIdempotencyKey(createdById: string, key: string): Promise<BookingWithParties | null> {
    return this.bookings.findOne({
      where: { createdById, idempotencyKey: key },
      relations: PARTIES,
    });
  }

  // ---- lists -----------------------------------------------------------------------------

  async list(filter: BookingFilter): Promise<BookingWithParties[]> {
    const builder = this.bookings
      .createQueryBuilder('b')
      .innerJoinAndSelect('b.equipment', 'e')
      .innerJoinAndSelect('e.category', 'c')
      .leftJoinAndSelect('e.area', 'a')
      .innerJoinAndSelect('b.patron', 'p')
      .orderBy('b.start_at', 'ASC')
      .take(filter.limit)
      .skip(filter.offset);
    if (filter.patronId) builder.andWhere('b.patron_id = :me', { me: filter.patronId });
    if (filter.endsAfter)
      builder.andWhere('b.end_at > :from', { from: toDbInstant(filter.endsAfter) });
    if (filter.startsBefore)
      builder.andWhere('b.start_at < :to', { to: toDbInstant(filter.startsBefore) });
    if (filter.startsFrom)
      builder.andWhere('b.start_at >= :startsFrom', { startsFrom: toDbInstant(filter.startsFrom) });
    if (filter.equipmentSlug) builder.andWhere('e.slug = :slug', { slug: filter.equipmentSlug });
    if (filter.areaSlug) builder.andWhere('e.area_slug = :area', { area: filter.areaSlug });
    if (filter.status) builder.andWhere('b.status = :status', { status: filter.status });
    return await builder.getMany();
  }

  /** The patron's confirmed bookings starting by `startsBy` and not ended at `now`, with devices. */
  async confirmedOfPatronAround(
    patronId: string,
    startsBy: Date,
    now: Date,
  ): Promise<(Booking & { equipment: Equipment })[]> {
    return this.bookings
      .createQueryBuilder('b')
      .innerJoinAndSelect('b.equipment', 'e')
      .where('b.patron_id = :patron', { patron: patronId })
      .andWhere("b.status = 'confirmed'")
      .andWhere('b.start_at <= :early AND b.end_at > :now', {
        early: toDbInstant(startsBy),
        now: toDbInstant(now),
      })
      .orderBy('b.start_at')
      .getMany();
  }

  /** The patron's live bookings of the device not ended at `now` (one may be left out). */
  async countLiveOfPatron(
    manager: EntityManager,
    q: { patronId: string; deviceId: string; exceptId: string | null; now: Date },
  ): Promise<number> {
    const query = manager
      .createQueryBuilder(Booking, 'b')
      .where('b.patron_id = :patron AND b.equipment_id = :device', {
        patron: q.patronId,
        device: q.deviceId,
      })
      .andWhere('b.status IN (:...live)', { live: LIVE_STATUSES })
      .andWhere('b.end_at > :now', { now: toDbInstant(q.now) });
    if (q.exceptId) query.andWhere('b.id <> :moving', { moving: q.exceptId });
    return query.getCount();
  }

  /** The patron's bookings of the device in the given statuses overlapping `time` (one may be left out). */
  async ofPatronOverlapping(
    manager: EntityManager | undefined,
    q: {
      patronId: string;
      deviceId: string;
      statuses: BookingStatus[];
      time: Interval;
      exceptId?: string | null;
    },
  ): Promise<Booking[]> {
    const query = this.repo(manager)
      .createQueryBuilder('b')
      .where('b.patron_id = :patron AND b.equipment_id = :device', {
        patron: q.patronId,
        device: q.deviceId,
      })
      .andWhere('b.status IN (:...statuses)', { statuses: q.statuses })
      .andWhere('b.start_at < :end AND b.end_at > :start', {
        start: toDbInstant(q.time.start),
        end: toDbInstant(q.time.end),
      })
      .orderBy('b.start_at', 'ASC');
    if (q.exceptId) query.andWhere('b.id <> :except', { except: q.exceptId });
    return query.getMany();
  }

  /**
   * In one statement, everything about other bookings that placing one needs: the patron's live
   * bookings that have not ended and their live or finished ones overlapping `counted` (with each
   * one's category), the device's bookings that clash with `keeps` (flagged, by the same test as
   * `clashing`), and whether `code` is taken. The booking being moved is left out.
   *
   * Each question is an arm of its own, joined by `UNION ALL`, and a booking two arms find is one
   * row here. Asked as one `WHERE` of three ORs, PostgreSQL spent about 5 ms planning it (fitting
   * every OR arm to every index of `bookings`), against 0.3 ms running it; as arms, about 0.6 ms.
   */
  async placementFacts(manager: EntityManager, q: PlacementQuery): Promise<PlacementFacts> {
    const reader = this.placedBookingReader();
    const except = q.exceptId ? ' AND b.id <> :except' : '';
    const arm = (which: number, fromWhere: string) =>
      `SELECT ${reader.columns}, e.category_slug AS placement_category, ${which} AS placement_arm
       ${fromWhere}`;
    const bookingsWhere = (where: string) =>
      `FROM bookings b INNER JOIN equipment e ON e.id = b.equipment_id WHERE ${where}${except}`;
    const arms = [
      arm(
        ARM.mine,
        bookingsWhere(
          `b.patron_id = :patron AND b.end_at > :endsAfter AND ((b.status IN (${LIVE}) AND b.end_at > :now) OR (b.status IN (${COUNTED}) AND b.start_at < :countedEnd AND b.end_at > :countedStart))`,
        ),
      ),
      ...blockingArms(
        '= :device',
        { start: ':keepsStart', end: ':keepsEnd' },
        q.exceptId ? ':except' : null,
      ).map((fromWhere) => arm(ARM.clashes, fromWhere)),
      ...(q.code !== null ? [arm(ARM.code, bookingsWhere('b.code = :code'))] : []),
    ];
    const found = await queryNamed<Record<string, unknown>>(manager, arms.join(' UNION ALL '), {
      patron: q.patronId,
      device: q.deviceId,
      now: toDbInstant(q.now),
      endsAfter: toDbInstant(earlier(q.now, q.counted.start)),
      countedStart: toDbInstant(q.counted.start),
      countedEnd: toDbInstant(q.counted.end),
      keepsStart: toDbInstant(q.keeps.start),
      keepsEnd: toDbInstant(q.keeps.end),
      ...(q.code !== null ? { code: q.code } : {}),
      ...(q.exceptId ? { except: q.exceptId } : {}),
    });
    let codeTaken = false;
    const byId = new Map<string, PlacementRow>();
    for (const row of found) {
      const booking = reader.entityOf(row);
      if (booking.code === q.code) codeTaken = true;
      const clashes = Number(row.placement_arm) === ARM.clashes;
      const seen = byId.get(booking.id);
      if (seen) seen.clashes ||= clashes;
      else byId.set(booking.id, { booking, category: String(row.placement_category), clashes });
    }
    return { rows: [...byId.values()], codeTaken };
  }

  /** Whether the patron cancelled, after `since`, a booking of the device overlapping `time`. */
  async cancelledByPatronSince(
    manager: EntityManager,
    q: { patronId: string; deviceId: string; since: Date; time: Interval },
  ): Promise<boolean> {
    return manager
      .createQueryBuilder(Booking, 'b')
      .where('b.patron_id = :patron AND b.equipment_id = :device', {
        patron: q.patronId,
        device: q.deviceId,
      })
      .andWhere("b.status = 'cancelled' AND b.cancelled_at > :joined", {
        joined: toDbInstant(q.since),
      })
      .andWhere('b.start_at < :end AND b.end_at > :start', {
        start: toDbInstant(q.time.start),
        end: toDbInstant(q.time.end),
      })
      .getExists();
  }

  /**
   * In one statement, what availability judges a patron by: their bookings (live ones that have
   * not ended, and live or finished ones within `weeks`, each with its device's category) and
   * their certifications, each device's with when it lapses (null: never).
   */
  async ofPatronForAvailability(
    patronId: string,
    weeks: Interval,
    now: Date,
  ): Promise<PatronFacts> {
    const held = this.patronFacts.get(patronId, weeks, now);
    if (held) return held;
    const since = this.patronFacts.reading();
    // Read by the patron's index alone, the devices picked out by the caller: given the device
    // too, SQLite searched the device's index and read every booking the device ever had (35 ms
    // a request with 500,000 bookings of history), where the patron's own are a handful.
    // Each arm goes through the patron's own row. Without it PostgreSQL planned the statement
    // afresh on every run (0.26 ms of planning to 0.02 of running): a plan made for one patron
    // was estimated cheaper than the plan kept for all by more than PostgreSQL's estimate of
    // what planning costs, which grows with the tables joined. With it, after its first five
    // runs on a connection, the kept plan serves every run.
    const sql = `SELECT 0 AS certification, b.id, b.equipment_id, b.start_at, b.end_at, b.status,
              e.category_slug, NULL AS expires_at
       FROM users p INNER JOIN bookings b ON b.patron_id = p.id
         INNER JOIN equipment e ON e.id = b.equipment_id
       WHERE p.id = :patron AND b.end_at > :endsAfter
         AND ((b.status IN (${LIVE}) AND b.end_at > :now)
           OR (b.status IN (${COUNTED}) AND b.start_at < :weekEnd AND b.end_at > :weekStart))
       UNION ALL
       SELECT 1, NULL, c.equipment_id, NULL, NULL, NULL, NULL, c.expires_at
       FROM users p INNER JOIN certifications c ON c.patron_id = p.id WHERE p.id = :patron`;
    const parameters = {
      patron: patronId,
      now: toDbInstant(now),
      endsAfter: toDbInstant(earlier(now, weeks.start)),
      weekStart: toDbInstant(weeks.start),
      weekEnd: toDbInstant(weeks.end),
    };
    // On SQLite, read and kept in one turn: nothing can change the rows between the two.
    const rows =
      queryNamedNow<PatronFactRow>(this.bookings.manager, sql, parameters) ??
      (await queryNamed<PatronFactRow>(this.bookings.manager, sql, parameters));
    const bookings: PatronFacts['bookings'] = [];
    const certifiedUntil = new Map<string, Date | null>();
    for (const row of rows) {
      if (Number(row.certification) === 1) {
        const lapses = row.expires_at == null ? null : fromDbInstant(row.expires_at);
        certifiedUntil.set(row.equipment_id, lapses);
        continue;
      }
      bookings.push({
        id: row.id!,
        equipmentId: row.equipment_id,
        category: row.category_slug!,
        start: fromDbInstant(row.start_at),
        end: fromDbInstant(row.end_at),
        status: row.status!,
      });
    }
    const facts = { bookings, certifiedUntil };
    this.patronFacts.keep(patronId, weeks, now, facts, since);
    return facts;
  }

  /**
   * Live bookings of the device whose blocked time overlaps `keeps`, and overdue kits (which keep
   * the kit from their start until they are returned), with their devices; one may be left out.
   */
  async clashing(
    manager: EntityManager,
    q: { deviceId: string; keeps: Interval; exceptId: string | null; now: Date },
  ): Promise<Booking[]> {
    const arms = blockingArms(
      '= :device',
      { start: ':start', end: ':end' },
      q.exceptId ? ':except' : null,
    );
    const rows = await queryNamed<{ id: string }>(
      manager,
      arms.map((fromWhere) => `SELECT b.id ${fromWhere}`).join(' UNION ALL '),
      {
        device: q.deviceId,
        start: toDbInstant(q.keeps.start),
        end: toDbInstant(q.keeps.end),
        now: toDbInstant(q.now),
        ...(q.exceptId ? { except: q.exceptId } : {}),
      },
    );
    // There are rarely two clashes, and most often none.
    if (rows.length === 0) return [];
    return manager.getRepository(Booking).findBy({ id: In(rows.map((row) => row.id)) });
  }

  /**
   * Live bookings of the devices blocking any time within `reach`, and overdue kits, with each
   * device's kind: what availability marks as taken. The busiest read of the service (every
   * availability answer makes it), so it is written as one statement the driver prepares once,
   * with no query building or entity hydration.
   */
  async blocking(deviceIds: string[], reach: Interval, now: Date): Promise<BlockingBooking[]> {
    const arms = blockingArms('IN (:...devices)', { start: ':start', end: ':end' }, null);
    const rows = await queryNamed<BlockingRow>(
      this.bookings.manager,
      arms
        .map(
          (fromWhere) =>
            `SELECT b.id, b.equipment_id, b.start_at, b.end_at, b.blocked_until, b.status, e.kind ${fromWhere}`,
        )
        .join(' UNION ALL '),
      {
        devices: deviceIds,
        start: toDbInstant(reach.start),
        end: toDbInstant(reach.end),
        now: toDbInstant(now),
      },
    );
    return rows.map((row) => ({
      id: row.id,
      equipmentId: row.equipment_id,
      start: fromDbInstant(row.start_at),
      end: fromDbInstant(row.end_at),
      blockedUntil: fromDbInstant(row.blocked_until),
      status: row.status,
      kind: row.kind,
    }));
  }

  /**
   * The bookings in `statuses` of the devices that touch `day`, with the patron's name and card,
   * and kits still out after their due date (they run on): the day grid's cells.
   */
  async onDay(
    deviceIds: string[],
    day: Interval,
    statuses: BookingStatus[],
    now: Date,
  ): Promise<Booking[]> {
    if (deviceIds.length === 0) return [];
    return this.bookings
      .createQueryBuilder('b')
      .innerJoin('b.equipment', 'e')
      .innerJoin('b.patron', 'p')
      .select([
        'b.id',
        'b.code',
        'b.status',
        'b.start',
        'b.end',
        'b.equipmentId',
        'b.patronId',
        'e.id',
        'e.kind',
        'p.id',
        'p.name',
        'p.cardNumber',
      ])
      .where({ equipmentId: In(deviceIds) })
      .andWhere('b.status IN (:...statuses)', { statuses })
      .andWhere(`b.start_at < :end AND (b.end_at > :start OR (${OVERDUE_KIT_SQL}))`, {
        start: toDbInstant(day.start),
        end: toDbInstant(day.end),
        now: toDbInstant(now),
      })
      .orderBy('b.start_at', 'ASC')
      .getMany();
  }

  /** Bookings holding time (or in use) not ended at `now`, on a device and/or overlapping a time. */
  async holdingTime(
    manager: EntityManager,
    q: HitQuery,
  ): Promise<(Booking & { equipment: Equipment })[]> {
    const query = manager
      .createQueryBuilder(Booking, 'b')
      .innerJoinAndSelect('b.equipment', 'e')
      .where('b.status IN (:...holding)', { holding: LIVE_STATUSES })
      .andWhere('b.end_at > :now', { now: toDbInstant(q.now) })
      .orderBy('b.start_at');
    if (q.deviceId) query.andWhere('b.equipment_id = :device', { device: q.deviceId });
    if (q.overlapping) {
      query.andWhere('b.start_at < :end AND b.end_at > :start', {
        start: toDbInstant(q.overlapping.start),
        end: toDbInstant(q.overlapping.end),
      });
    }
    return query.getMany();
  }

  // ---- the sweeps ------------------------------------------------------------------------

  /**
   * Confirmed bookings that may have become no-shows: stations usable since `cutoff`, kits
   * starting by `kitCutoff`, earliest first, with their devices.
   */
  async noShowCandidates(
    q: { cutoff: Date; kitCutoff: Date },
    limit: number,
  ): Promise<(Booking & { equipment: Equipment })[]> {
    return this.bookings
      .createQueryBuilder('b')
      .innerJoinAndSelect('b.equipment', 'e')
      .where("b.status = 'confirmed'")
      .andWhere(
        "((e.kind <> 'loan' AND COALESCE(b.usable_from, b.start_at) <= :cutoff) OR (e.kind = 'loan' AND b.start_at <= :loanCutoff))",
        { cutoff: toDbInstant(q.cutoff), loanCutoff: toDbInstant(q.kitCutoff) },
      )
      .orderBy('b.start_at')
      .take(limit)
      .getMany();
  }

  /** The occurrences of a recurring series, in order, with their devices and patrons. */
  async ofSeries(seriesId: string, manager?: EntityManager): Promise<BookingWithParties[]> {
    return this.repo(manager).find({
      where: { seriesId },
      relations: PARTIES,
      order: { start: 'ASC' },
    });
  }

  /** Pending bookings whose time to be decided has run out, earliest first, with their devices. */
  async undecidedBy(now: Date, limit: number): Promise<(Booking & { equipment: Equipment })[]> {
    return this.bookings
      .createQueryBuilder('b')
      .innerJoinAndSelect('b.equipment', 'e')
      .where("b.status = 'pending' AND b.decide_by <= :now", { now: toDbInstant(now) })
      .orderBy('b.decide_by')
      .take(limit)
      .getMany();
  }

  /** How many bookings are in a status (the desk's "requests to decide"). */
  async countInStatus(status: BookingStatus): Promise<number> {
    return this.bookings.countBy({ status });
  }

  /**
   * Whether another booking of the device that started earlier was still out on the day
   * `reservation` starts, or came back only during it.
   */
  async earlierLoanOutOn(reservation: Booking): Promise<boolean> {
    return this.bookings
      .createQueryBuilder('b')
      .where('b.equipment_id = :device AND b.id <> :id AND b.start_at < :start', {
        device: reservation.equipmentId,
        id: reservation.id,
        start: toDbInstant(reservation.start),
      })
      .andWhere(
        "(b.status = 'checked_in' OR (b.status = 'completed' AND b.completed_at > :dayStart))",
        { dayStart: toDbInstant(reservation.start) },
      )
      .getExists();
  }

  /** `countNoShowsSince` outside a write, for pages that only read. */
  async countNoShows(patronId: string, since: Date): Promise<number> {
    return this.countNoShowsSince(this.bookings.manager, patronId, since);
  }

  async countNoShowsSince(manager: EntityManager, patronId: string, since: Date): Promise<number> {
    return manager
      .createQueryBuilder(Booking, 'b')
      .where("b.patron_id = :patron AND b.status = 'no_show' AND b.no_show_at > :since", {
        patron: patronId,
        since: toDbInstant(since),
      })
      .getCount();
  }

  /** Confirmed bookings starting after `now` and by `horizon` with no reminder sent yet. */
  async remindersDue(now: Date, horizon: Date, limit: number): Promise<Booking[]> {
    return this.bookings
      .createQueryBuilder('b')
      .where("b.status = 'confirmed' AND b.reminder_sent_at IS NULL")
      .andWhere('b.start_at > :now AND b.start_at <= :horizon', {
        now: toDbInstant(now),
        horizon: toDbInstant(horizon),
      })
      .orderBy('b.start_at')
      .take(limit)
      .getMany();
  }

  // ---- loan kits -------------------------------------------------------------------------

  /** The booking of the kit that is out now, if any. */
  async outNow(manager: EntityManager, kitId: string): Promise<Booking | null> {
    return manager.findOneBy(Booking, { equipmentId: kitId, status: 'checked_in' });
  }

  /** The patron's first confirmed booking of the kit that has not ended at `now`. */
  async nextConfirmedOfPatron(
    manager: EntityManager,
    q: { kitId: string; patronId: string; now: Date },
  ): Promise<Booking | null> {
    return manager
      .createQueryBuilder(Booking, 'b')
      .where('b.equipment_id = :kit AND b.patron_id = :patron', {
        kit: q.kitId,
        patron: q.patronId,
      })
      .andWhere("b.status = 'confirmed' AND b.end_at > :now", { now: toDbInstant(q.now) })
      .orderBy('b.start_at')
      .getOne();
  }

  /** Overdue kits (see `isOverdueKit`), by due date, with their devices and patrons. */
  async overdueKits(now: Date): Promise<BookingWithParties[]> {
    return await this.overdue(now).innerJoinAndSelect('b.patron', 'p').getMany();
  }

  /** Overdue kits whose borrower has not been sent the overdue notice yet. */
  async overdueKitsUnnoticed(
    now: Date,
    limit: number,
  ): Promise<(Booking & { equipment: Equipment })[]> {
    return this.overdue(now).andWhere('b.overdue_notice_sent_at IS NULL').take(limit).getMany();
  }

  private overdue(now: Date) {
    return this.bookings
      .createQueryBuilder('b')
      .innerJoinAndSelect('b.equipment', 'e')
      .innerJoinAndSelect('e.category', 'c')
      .leftJoinAndSelect('e.area', 'a')
      .where(OVERDUE_KIT_SQL, { now: toDbInstant(now) })
      .orderBy('b.end_at');
  }

  /** Confirmed bookings of the device starting at or after `from`, with their parties. */
  async confirmedFrom(deviceId: string, from: Date): Promise<BookingWithParties[]> {
    return await this.bookings
      .createQueryBuilder('b')
      .innerJoinAndSelect('b.equipment', 'e')
      .innerJoinAndSelect('e.category', 'c')
      .leftJoinAndSelect('e.area', 'a')
      .innerJoinAndSelect('b.patron', 'p')
      .where("b.equipment_id = :kit AND b.status = 'confirmed'", { kit: deviceId })
      .andWhere('b.start_at >= :start', { start: toDbInstant(from) })
      .orderBy('b.start_at')
      .getMany();
  }

  // ---- reports ---------------------------------------------------------------------------

  /**
   * Bookings starting in `period`, totalled by device or by patron and by status: how many, and
   * their milliseconds inside the period. Summed by the database, so no period loads its bookings.
   */
  async usageTotals(
    period: Interval,
    by: 'equipment' | 'patron',
    area?: string,
  ): Promise<UsageTotal[]> {
    const key = by === 'equipment' ? 'b.equipment_id' : 'b.patron_id';
    const inside = ON_POSTGRES
      ? 'EXTRACT(EPOCH FROM (LEAST(b.end_at, :end) - b.start_at)) * 1000'
      : 'MIN(b.end_at, :end) - b.start_at';
    const rows = await this.startingIn(period, area)
      .select(key, 'key')
      .addSelect('b.status', 'status')
      .addSelect('COUNT(*)', 'count')
      .addSelect(`SUM(${inside})`, 'ms')
      .groupBy(key)
      .addGroupBy('b.status')
      .getRawMany<{ key: string; status: BookingStatus; count: unknown; ms: unknown }>();
    return rows.map((r) => ({
      key: r.key,
      status: r.status,
      count: Number(r.count),
      ms: Number(r.ms ?? 0),
    }));
  }

  /** How many patrons hold bookings in `statuses` starting in `period`, by device or category. */
  async patronsCounted(
    period: Interval,
    statuses: BookingStatus[],
    by: 'equipment' | 'category',
    area?: string,
  ): Promise<Map<string, number>> {
    const query = this.startingIn(period, area).andWhere('b.status IN (:...statuses)', {
      statuses,
    });
    const key = by === 'equipment' ? 'b.equipment_id' : 'e.category_slug';
    const rows = await query
      .select(key, 'key')
      .addSelect('COUNT(DISTINCT b.patron_id)', 'patrons')
      .groupBy(key)
      .getRawMany<{ key: string; patrons: unknown }>();
    return new Map(rows.map((r) => [r.key, Number(r.patrons)]));
  }

  /** Bookings starting in `period`, joined to their devices (`e`), of one area if given. */
  private startingIn(period: Interval, area?: string) {
    const query = this.bookings
      .createQueryBuilder('b')
      .innerJoin('b.equipment', 'e')
      .where('b.start_at >= :start AND b.start_at < :end', {
        start: toDbInstant(period.start),
        end: toDbInstant(period.end),
      });
    return area === undefined ? query : query.andWhere('e.area_slug = :area', { area });
  }

  /** Kits handed over before the period ends and not back before it starts. */
  async loansTouching(period: Interval): Promise<Booking[]> {
    return this.bookings
      .createQueryBuilder('b')
      .innerJoin('b.equipment', 'e')
      .select(['b.equipmentId', 'b.end', 'b.status', 'b.checkedInAt', 'b.completedAt'])
      .where("e.kind = 'loan' AND b.checked_in_at IS NOT NULL AND b.checked_in_at < :end", {
        end: toDbInstant(period.end),
      })
      .andWhere(
        "(b.status = 'checked_in' OR (b.status = 'completed' AND b.completed_at >= :start))",
        { start: toDbInstant(period.start) },
      )
      .getMany();
  }

  // ---- writes ----------------------------------------------------------------------------

  /**
   * A new booking. `append`: written with the transaction's appended rows as its work ends
   * (`appendRow`), for a caller that does nothing more with the row in the transaction.
   */
  async insert(
    manager: EntityManager,
    append: boolean,
    fields: Partial<Booking>,
  ): Promise<Booking> {
    const booking = manager.create(Booking, fields);
    await (append ? appendRow : insertRow)(manager, Booking, booking);
    return booking;
  }

  /** Changes fields other than the status (times, notes, stamps). */
  async update(manager: EntityManager, id: string, fields: Partial<Booking>): Promise<void> {
    await manager.update(Booking, { id }, fields);
  }

  /**
   * The claim: writes `changes` only if the booking is still in status `was`. Whoever's UPDATE
   * changed the row owns the change, so sweeps on several instances, the desk and the loan desk
   * never act twice on one booking. Returns whether this call changed it.
   */
  async claim(
    manager: EntityManager,
    id: string,
    was: BookingStatus,
    changes: Partial<Booking>,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Booking)
      .set(changes)
      .where('id = :id AND status = :was', { id, was })
      .execute();
    return Boolean(result.affected);
  }

  /** Stamps the reminder as sent, if no one has and the booking is still confirmed. */
  async claimReminder(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Booking)
      .set({ reminderSentAt: now })
      .where("id = :id AND reminder_sent_at IS NULL AND status = 'confirmed'", { id })
      .execute();
    return Boolean(result.affected);
  }

  /** Stamps the overdue notice as sent, if no one has and the kit is still out. */
  async claimOverdueNotice(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Booking)
      .set({ overdueNoticeSentAt: now })
      .where("id = :id AND status = 'checked_in' AND overdue_notice_sent_at IS NULL", { id })
      .execute();
    return Boolean(result.affected);
  }
}
