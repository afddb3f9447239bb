import fc from 'fast-check';
import { DateTime } from 'luxon';
import { BookingSweeps } from '../src/bookings/booking-sweeps.service';
import { BOOKING_EVENTS, BookingEvent, nextStatus } from '../src/bookings/lifecycle';
import { AppConfig } from '../src/config/app-config';
import { createTestApp, TestApp } from './create-test-app';
import {
  answerOf,
  checkModelRuns,
  count,
  expectedOutcome,
  expectEveryEvent,
  outcomeOf,
  send,
  type Tally,
  WRONG_STATUS,
} from './model-runs';
import { bearer, newDevice, newPatron, signIn, TestPatron } from './factories';

/*
 * Random sequences of what happens to loan kits (reservations by patrons and the desk, walk-in
 * loans, hand-overs and returns at the loan desk, kits back damaged or short of a part and set
 * right again, cancellations, the general desk trying to check a kit in, days passing and the
 * no-show sweep) against the running app. After every step the app must agree with a model: no
 * kit lent or reserved twice at once, every status change one the lifecycle allows for a kit, no
 * patron released as a no-show for a kit the lab could not hand them, and availability that tells
 * the truth to an anonymous visitor and to a signed-in patron.
 */

const ZONE = 'America/New_York';
// Tuesday 1 December 2026, 9:00 in New York.
const NOW = '2026-12-01T14:00:00Z';
// Tuesday to Monday; the lab is closed on Sundays during the runs.
const DAYS = [
  '2026-12-01',
  '2026-12-02',
  '2026-12-03',
  '2026-12-04',
  '2026-12-05',
  '2026-12-06',
  '2026-12-07',
];
const CLOSED_WEEKDAY = 7;
// Time runs a day past the last of them, so that the last day's reservations can be missed.
const LAST_MOMENT = DateTime.fromISO(DAYS[DAYS.length - 1], { zone: ZONE })
  .plus({ days: 1 })
  .endOf('day')
  .toMillis();
const MINUTE = 60_000;
const KITS = 2;
const PATRONS = 3;
const PARTS = ['Camera', 'Battery', 'Charger'];
const VIEWERS: (number | null)[] = [null, 0];

/** Up to three days a loan, two reservations of a kit a patron at once. */
const POLICY = {
  slotMinutes: 1440,
  minMinutes: 1440,
  maxMinutes: 4320,
  bufferMinutes: 0,
  maxAdvanceDays: 30,
  minNoticeMinutes: 0,
  maxActivePerPatron: 2,
  maxMinutesPerWeek: 30240,
};

type Status = 'confirmed' | 'checked_in' | 'completed' | 'cancelled' | 'no_show' | 'displaced';
const LIVE: Status[] = ['confirmed', 'checked_in'];
type KitState = 'available' | 'out_of_service';
type Condition = 'good' | 'damaged' | 'missing';

type Command =
  | { kind: 'reserve'; kit: number; patron: number; byDesk: boolean; day: number; days: number }
  | { kind: 'walkIn'; kit: number; patron: number; days: number }
  | { kind: 'handOver'; pick: number }
  | { kind: 'takeBack'; pick: number; condition: Condition }
  | { kind: 'clear'; kit: number }
  | { kind: 'cancel'; pick: number; byDesk: boolean }
  | { kind: 'generalDesk'; pick: number; action: 'check-in' | 'complete' }
  | { kind: 'sweep'; minutes: number };

const kit = fc.integer({ min: 0, max: KITS - 1 });
const patron = fc.integer({ min: 0, max: PATRONS - 1 });
// Mostly allowed lengths; now and then a day too many.
const days = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 3 }) }, fc.constant(4));

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('reserve' as const),
      kit,
      patron,
      byDesk: fc.boolean(),
      day: fc.integer({ min: 0, max: DAYS.length - 1 }),
      days,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('walkIn' as const),
      kit,
      patron,
      days: fc.integer({ min: 0, max: 3 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('handOver' as const), pick: fc.nat() }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('takeBack' as const),
      pick: fc.nat(),
      condition: fc.oneof(
        { weight: 3, arbitrary: fc.constant<Condition>('good') },
        fc.constantFrom<Condition>('damaged', 'missing'),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const), kit }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      pick: fc.nat(),
      byDesk: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('generalDesk' as const),
      pick: fc.nat(),
      action: fc.constantFrom<'check-in' | 'complete'>('check-in', 'complete'),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('sweep' as const),
      // Hours within a day, or past a day or two, where first days end and loans fall due.
      minutes: fc.oneof(
        { weight: 2, arbitrary: fc.integer({ min: 30, max: 600 }) },
        fc.integer({ min: 601, max: 2880 }),
      ),
    }),
  },
);

interface Span {
  start: number;
  end: number;
}

interface ModelBooking extends Span {
  id: string;
  kit: number;
  patron: number;
  status: Status;
  /** When the kit came back, for a loan taken back. */
  completedAt: number | null;
}

interface ModelPatron {
  noShows: number;
  suspendedUntil: number | null;
}

interface World {
  now: number;
  slugs: string[];
  tags: string[];
  kits: KitState[];
  bookings: ModelBooking[];
  observed: Map<string, Status>;
  patrons: ModelPatron[];
}

interface Request extends Span {
  kit: number;
  patron: number | null;
  walkIn: boolean;
}

const local = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE });
const iso = (ms: number) => local(ms).toISO({ suppressMilliseconds: true })!;
const midnight = (date: string) => DateTime.fromISO(date, { zone: ZONE }).startOf('day');
const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
const daysOf = (s: Span) =>
  `${local(s.start).toFormat('ccc d')}–${local(s.end - 1).toFormat('ccc d')}`;

/** The whole days from `date` for `count` days: midnight to midnight. */
function daysFrom(date: string, count: number): Span {
  const first = midnight(date);
  return { start: first.toMillis(), end: first.plus({ days: count }).toMillis() };
}

/** The end of a reservation's first day: until then a patron may still pick the kit up. */
const firstDayEnds = (b: Span) => local(b.start).plus({ days: 1 }).startOf('day').toMillis();

/** Whether the lab is open on the local date of an instant. */
const openOn = (ms: number) => local(ms).weekday !== CLOSED_WEEKDAY;

/** How often each lifecycle event happened over all the runs. */
const happened: Tally = new Map();

/** Moves a model booking on, checking that the lifecycle table allows it for a kit. */
function step(booking: { status: Status | 'new' }, event: BookingEvent, next: Status): void {
  expect(nextStatus(booking.status, event, 'loan')).toBe(next);
  booking.status = next;
  count(happened, event);
}

/** A booking the app has just made, as the lifecycle makes it. */
function created(fields: Omit<ModelBooking, 'status' | 'completedAt'>): ModelBooking {
  const booking: Omit<ModelBooking, 'status'> & { status: Status | 'new' } = {
    ...fields,
    status: 'new',
    completedAt: null,
  };
  step(booking, 'create', 'confirmed');
  return { ...booking, status: 'confirmed' };
}

/** What refuses a reservation or a walk-in, in the order the API promises, or null. */
function refusalOf(world: World, r: Request): string | null {
  if (world.kits[r.kit] !== 'available') return 'EQUIPMENT_UNAVAILABLE';
  const suspended = r.patron === null ? null : world.patrons[r.patron].suspendedUntil;
  if (suspended !== null && suspended > world.now) return 'ACCOUNT_SUSPENDED';
  if (r.start < world.now && !(r.walkIn && r.end > world.now)) return 'IN_THE_PAST';
  if ((r.end - r.start) / MINUTE > POLICY.maxMinutes) return 'TOO_LONG';
  if (!openOn(r.start) || !openOn(r.end - 1)) return 'OUTSIDE_OPENING_HOURS';
  if (r.patron !== null) {
    const active = world.bookings.filter(
      (b) =>
        b.patron === r.patron && b.kit === r.kit && LIVE.includes(b.status) && b.end > world.now,
    );
    if (active.length >= POLICY.maxActivePerPatron) return 'QUOTA_EXCEEDED';
  }
  const taken = world.bookings.some(
    (b) => b.kit === r.kit && LIVE.includes(b.status) && overlaps(heldBy(world, b), r),
  );
  return taken ? 'SLOT_TAKEN' : null;
}

/** The time a live booking keeps its kit: its days, or until it is back if it is out and late. */
function heldBy(world: World, b: ModelBooking): Span {
  const overdue = b.status === 'checked_in' && b.end <= world.now;
  return { start: b.start, end: overdue ? Infinity : b.end };
}

/** Whether a reservation could not be picked up on its first day because the kit was still out. */
function heldUp(world: World, reservation: ModelBooking): boolean {
  return world.bookings.some(
    (b) =>
      b.kit === reservation.kit &&
      b.id !== reservation.id &&
      b.start < reservation.start &&
      (b.status === 'checked_in' ||
        (b.status === 'completed' && b.completedAt! > reservation.start)),
  );
}

const onDay = (kitNo: number, patronNo: number, day: number, count: number, byDesk = false) => ({
  kind: 'reserve' as const,
  kit: kitNo,
  patron: patronNo,
  byDesk,
  day,
  days: count,
});

/**
 * A week at the loan desk run first, so that every event a kit goes through is certainly
 * checked: a reservation handed over and brought back damaged, which displaces the next one; the
 * kit set right and lent to a walk-in; a loan back late holding up the next borrower, who is not
 * a no-show; a reservation nobody picks up, which is; a cancellation; the general desk refused.
 */
const A_WEEK_OF_EVERYTHING: Command[] = [
  onDay(0, 0, 1, 1),
  onDay(0, 1, 3, 2),
  onDay(1, 2, 1, 1),
  onDay(1, 0, 2, 2),
  onDay(1, 1, 4, 1),
  // Wednesday: kit 0 goes out to patron 0, kit 1 to patron 2.
  { kind: 'sweep', minutes: 1500 },
  { kind: 'handOver', pick: 0 },
  { kind: 'handOver', pick: 2 },
  { kind: 'generalDesk', pick: 0, action: 'complete' },
  // Kit 0 back damaged the same day: Thursday's reservation of it is displaced.
  { kind: 'takeBack', pick: 0, condition: 'damaged' },
  { kind: 'clear', kit: 0 },
  { kind: 'walkIn', kit: 0, patron: 2, days: 0 },
  // Thursday 10:00: kit 1 is still out, so patron 0 cannot have it; Friday 10:00, back late.
  { kind: 'sweep', minutes: 1440 },
  { kind: 'takeBack', pick: 5, condition: 'good' },
  { kind: 'handOver', pick: 3 },
  { kind: 'sweep', minutes: 1440 },
  { kind: 'takeBack', pick: 2, condition: 'good' },
  // Saturday: Thursday's reservation was held up, not a no-show; patron 1 cancels Friday's.
  { kind: 'sweep', minutes: 1440 },
  { kind: 'cancel', pick: 4, byDesk: false },
  { kind: 'reserve', kit: 1, patron: 1, byDesk: false, day: 6, days: 1 },
  // Tuesday after: nobody came for Monday's.
  { kind: 'sweep', minutes: 2880 },
  { kind: 'sweep', minutes: 1440 },
];

describe('Loan kits under random sequences of requests', () => {
  let t: TestApp;
  let staff: string;
  let librarian: string;
  let usualWeek: { weekday: number; opens: string; closes: string }[];
  let patrons: TestPatron[];
  let sweeps: BookingSweeps;
  let config: AppConfig;

  beforeAll(async () => {
    t = await createTestApp({
      now: NOW,
      env: { API_RATE_PER_MINUTE: '10000000', AUTH_RATE_PER_15_MINUTES: '10000000' },
    });
    staff = await signIn(t, 'staff');
    librarian = await signIn(t, 'librarian');
    usualWeek = (await t.http.get('/api/hours/weekly').expect(200)).body as typeof usualWeek;
    // Closed on Sundays, so that kits can neither go out nor come back then.
    await t.http
      .put('/api/hours/weekly')
      .set(bearer(librarian))
      .send({ intervals: usualWeek.filter((i) => i.weekday !== CLOSED_WEEKDAY) })
      .expect(200);
    patrons = [];
    for (let i = 0; i < PATRONS; i += 1) patrons.push(await newPatron(t));
    sweeps = t.app.get(BookingSweeps);
    config = t.app.get(AppConfig);
  });
  afterAll(() => t.close());

  /** The booking a command points at: mostly one in the status the command is for. */
  const pickOf = (world: World, pick: number, preferred: (b: ModelBooking) => boolean) => {
    const fitting = world.bookings.filter(preferred);
    if (fitting.length && pick % 4 !== 0) return fitting[pick % fitting.length];
    return world.bookings[pick % Math.max(world.bookings.length, 1)];
  };

  const stillOut = (world: World, kitNo: number) =>
    world.bookings.some((b) => b.kit === kitNo && b.status === 'checked_in');

  async function reserve(world: World, c: Extract<Command, { kind: 'reserve' }>, log: string[]) {
    const { start, end } = daysFrom(DAYS[c.day], c.days);
    const request = { kit: c.kit, patron: c.patron, start, end, walkIn: c.byDesk };
    const expected = expectedOutcome(refusalOf(world, request), 201);
    const response = await send(
      'POST /api/bookings',
      t.http
        .post('/api/bookings')
        .set(bearer(c.byDesk ? staff : patrons[c.patron].token))
        .send({
          equipment: world.slugs[c.kit],
          start: iso(start),
          end: iso(end),
          ...(c.byDesk ? { cardNumber: patrons[c.patron].cardNumber } : {}),
        }),
    );
    log.push(
      `${c.byDesk ? 'desk reserves' : 'patron reserves'} kit ${c.kit} ${daysOf(request)} for patron ${c.patron}: ${answerOf(response)}`,
    );
    expect({ ...outcomeOf(response), message: response.body.message }).toMatchObject(expected);
    if (response.status !== 201) return;
    expect(response.body).toMatchObject({ start: iso(start), end: iso(end), status: 'confirmed' });
    world.bookings.push(
      created({ id: response.body.id as string, kit: c.kit, patron: c.patron, start, end }),
    );
  }

  /** A walk-in: booked from today to the return day and handed over in one step, or nothing. */
  async function walkIn(world: World, c: Extract<Command, { kind: 'walkIn' }>, log: string[]) {
    const today = local(world.now).toISODate()!;
    const { start, end } = daysFrom(today, c.days + 1);
    const returnDate = local(end - 1).toISODate()!;
    const request = { kit: c.kit, patron: c.patron, start, end, walkIn: true };
    const expected = stillOut(world, c.kit)
      ? { status: 409, code: 'KIT_STILL_OUT' }
      : world.kits[c.kit] !== 'available'
        ? { status: 422, code: 'EQUIPMENT_UNAVAILABLE' }
        : expectedOutcome(refusalOf(world, request), 200);
    const response = await send(
      'POST /api/loans/check-out',
      t.http.post('/api/loans/check-out').set(bearer(staff)).send({
        assetTag: world.tags[c.kit],
        cardNumber: patrons[c.patron].cardNumber,
        returnDate,
      }),
    );
    log.push(
      `walk-in loan of kit ${c.kit} ${daysOf(request)} to patron ${c.patron}: ${answerOf(response)}`,
    );
    expect({ ...outcomeOf(response), message: response.body.message }).toMatchObject(expected);
    if (response.status !== 200) return;
    expect(response.body).toMatchObject({ status: 'checked_in', dueDate: returnDate });
    const made = created({
      id: response.body.id as string,
      kit: c.kit,
      patron: c.patron,
      start,
      end,
    });
    step(made, 'hand_over', 'checked_in');
    world.bookings.push(made);
  }

  /** The loan desk scans the kit's tag and the card on a reservation. */
  async function handOver(world: World, c: Extract<Command, { kind: 'handOver' }>, log: string[]) {
    const picked = pickOf(
      world,
      c.pick,
      (b) => b.status === 'confirmed' && b.start <= world.now && b.end > world.now,
    );
    if (!picked) {
      log.push('hand over: nothing reserved yet');
      return;
    }
    // The desk finds the patron's first reservation of the kit that has not ended.
    const reservation = world.bookings
      .filter(
        (b) =>
          b.kit === picked.kit &&
          b.patron === picked.patron &&
          b.status === 'confirmed' &&
          b.end > world.now,
      )
      .sort((a, b) => a.start - b.start)[0];
    const expected = stillOut(world, picked.kit)
      ? { status: 409, code: 'KIT_STILL_OUT' }
      : world.kits[picked.kit] !== 'available'
        ? { status: 422, code: 'EQUIPMENT_UNAVAILABLE' }
        : reservation && reservation.start <= world.now
          ? { status: 200, code: null }
          : { status: 422, code: 'NO_RESERVATION' };
    const response = await send(
      'POST /api/loans/check-out',
      t.http
        .post('/api/loans/check-out')
        .set(bearer(staff))
        .send({ assetTag: world.tags[picked.kit], cardNumber: patrons[picked.patron].cardNumber }),
    );
    log.push(
      `loan desk hands kit ${picked.kit} to patron ${picked.patron} (${picked.status} ${daysOf(picked)}): ${answerOf(response)}`,
    );
    expect(outcomeOf(response)).toEqual(expected);
    if (response.status !== 200) return;
    expect(response.body).toMatchObject({ id: reservation.id, status: 'checked_in' });
    step(reservation, 'hand_over', 'checked_in');
  }

  /**
   * The loan desk takes a kit back. Damaged or short of a part, the kit goes out of service and
   * the reservations it can no longer serve are displaced.
   */
  async function takeBack(world: World, c: Extract<Command, { kind: 'takeBack' }>, log: string[]) {
    const loan = pickOf(world, c.pick, (b) => b.status === 'checked_in');
    if (!loan) {
      log.push('take back: nothing lent yet');
      return;
    }
    const out = loan.status === 'checked_in';
    const response = await send(
      'POST /api/loans/:id/return',
      t.http
        .post(`/api/loans/${loan.id}/return`)
        .set(bearer(staff))
        .send({
          condition: c.condition === 'damaged' ? 'Lens cracked' : 'Good',
          ...(c.condition === 'damaged' ? { damaged: true } : {}),
          ...(c.condition === 'missing' ? { missingParts: ['Charger'] } : {}),
        }),
    );
    log.push(
      `loan desk takes back kit ${loan.kit} (${loan.status} ${daysOf(loan)}) ${c.condition}: ${answerOf(response)}`,
    );
    expect(outcomeOf(response)).toEqual(out ? { status: 200, code: null } : WRONG_STATUS);
    if (!out) return;
    expect(response.body.status).toBe('completed');
    step(loan, 'take_back', 'completed');
    loan.completedAt = world.now;
    if (c.condition === 'good' || world.kits[loan.kit] !== 'available') return;
    world.kits[loan.kit] = 'out_of_service';
    for (const b of world.bookings)
      if (b.kit === loan.kit && b.status === 'confirmed' && b.end > world.now)
        step(b, 'displace', 'displaced');
  }

  /** Staff set a kit back to available: nothing is displaced by that. */
  async function clear(world: World, c: Extract<Command, { kind: 'clear' }>, log: string[]) {
    const response = await send(
      'PATCH /api/equipment/:slug',
      t.http
        .patch(`/api/equipment/${world.slugs[c.kit]}`)
        .set(bearer(librarian))
        .send({ status: 'available' }),
    );
    log.push(`kit ${c.kit} (${world.kits[c.kit]}) set available: ${answerOf(response)}`);
    expect(response.status).toBe(200);
    expect(response.body.displaced).toEqual([]);
    world.kits[c.kit] = 'available';
  }

  async function cancel(world: World, c: Extract<Command, { kind: 'cancel' }>, log: string[]) {
    const booking = pickOf(world, c.pick, (b) => b.status === 'confirmed');
    if (!booking) {
      log.push('cancel: nothing reserved yet');
      return;
    }
    const expected = booking.status === 'confirmed' ? { status: 200, code: null } : WRONG_STATUS;
    const response = await send(
      'POST /api/bookings/:id/cancel',
      t.http
        .post(`/api/bookings/${booking.id}/cancel`)
        .set(bearer(c.byDesk ? staff : patrons[booking.patron].token)),
    );
    log.push(
      `${c.byDesk ? 'desk cancels' : 'patron cancels'} ${booking.status} kit ${booking.kit} ${daysOf(booking)}: ${answerOf(response)}`,
    );
    expect(outcomeOf(response)).toEqual(expected);
    if (response.status !== 200) return;
    step(booking, 'cancel', 'cancelled');
  }

  /** The general desk's check-in and finish never touch a kit: it points to the loan desk. */
  async function generalDesk(
    world: World,
    c: Extract<Command, { kind: 'generalDesk' }>,
    log: string[],
  ) {
    const booking = pickOf(world, c.pick, (b) => LIVE.includes(b.status));
    if (!booking) {
      log.push('general desk: nothing reserved yet');
      return;
    }
    const response = await send(
      `POST /api/bookings/:id/${c.action}`,
      t.http.post(`/api/bookings/${booking.id}/${c.action}`).set(bearer(staff)).send({}),
    );
    log.push(
      `general desk tries ${c.action} on ${booking.status} kit ${booking.kit}: ${answerOf(response)}`,
    );
    expect(outcomeOf(response)).toEqual({ status: 422, code: 'USE_THE_LOAN_DESK' });
  }

  /**
   * Time passes and the no-show sweep runs: a reservation whose first day has gone by without
   * the kit being picked up is a no-show, unless the kit was still out with someone else then.
   */
  async function sweep(world: World, c: Extract<Command, { kind: 'sweep' }>, log: string[]) {
    const minutes = Math.min(c.minutes, Math.floor((LAST_MOMENT - world.now) / MINUTE));
    t.clock.advance(minutes);
    world.now += minutes * MINUTE;
    const late = world.bookings.filter(
      (b) => b.status === 'confirmed' && firstDayEnds(b) <= world.now && !heldUp(world, b),
    );
    const marked = await sweeps.markNoShows(t.clock.now());
    log.push(
      `${minutes} minutes pass, to ${local(world.now).toFormat('ccc HH:mm')}: ${marked} no-shows`,
    );
    expect(marked).toBe(late.length);
    const until = world.now + config.suspensionDays * 86_400_000;
    for (const booking of [...late].sort((a, b) => a.start - b.start)) {
      step(booking, 'no_show', 'no_show');
      const p = world.patrons[booking.patron];
      p.noShows += 1;
      const paused = p.suspendedUntil !== null && p.suspendedUntil > world.now;
      if (p.noShows >= config.noShowLimit && !paused) p.suspendedUntil = until;
    }
  }

  async function perform(world: World, c: Command, log: string[]): Promise<void> {
    switch (c.kind) {
      case 'reserve':
        return reserve(world, c, log);
      case 'walkIn':
        return walkIn(world, c, log);
      case 'handOver':
        return handOver(world, c, log);
      case 'takeBack':
        return takeBack(world, c, log);
      case 'clear':
        return clear(world, c, log);
      case 'cancel':
        return cancel(world, c, log);
      case 'generalDesk':
        return generalDesk(world, c, log);
      case 'sweep':
        return sweep(world, c, log);
    }
  }

  /**
   * Each status change seen since the last step must be one the lifecycle allows for a kit, and
   * a no-show only for a reservation whose first day went by with the kit there to pick up.
   */
  function unlawfulChange(world: World, row: { id: string; status: Status }): string[] {
    const was = world.observed.get(row.id) ?? 'new';
    world.observed.set(row.id, row.status);
    if (was === row.status) return [];
    // A new row may already have been handed over (a walk-in).
    const from: (Status | 'new')[] = was === 'new' ? ['new', 'confirmed'] : [was];
    const allowed = from.some((status) =>
      BOOKING_EVENTS.some((event) => nextStatus(status, event, 'loan') === row.status),
    );
    const wrong = allowed ? [] : [`${row.id} went from ${was} to ${row.status}`];
    if (row.status !== 'no_show') return wrong;
    const booking = world.bookings.find((b) => b.id === row.id)!;
    return firstDayEnds(booking) <= world.now && was === 'confirmed' && !heldUp(world, booking)
      ? wrong
      : [...wrong, `${row.id} (${was}, ${daysOf(booking)}) became a no-show`];
  }

  /** The kit's bookings as the desk lists them: the model's, lawful, never two at once. */
  async function verifyKit(world: World, k: number): Promise<void> {
    const listed = await send(
      'GET /api/bookings',
      t.http
        .get('/api/bookings')
        .query({ equipment: world.slugs[k], limit: 1000 })
        .set(bearer(staff)),
    );
    expect(listed.status).toBe(200);
    const rows = (listed.body as { id: string; status: Status; start: string; end: string }[]).map(
      (b) => ({ id: b.id, status: b.status, start: Date.parse(b.start), end: Date.parse(b.end) }),
    );
    const lines = (list: (Span & { id: string; status: Status })[]) =>
      list.map((r) => `${r.status} ${daysOf(r)} ${r.id}`).sort();
    expect(lines(rows)).toEqual(lines(world.bookings.filter((b) => b.kit === k)));
    expect(rows.flatMap((r) => unlawfulChange(world, r))).toEqual([]);
    const live = rows.filter((r) => LIVE.includes(r.status));
    const twice = live.flatMap((x, i) =>
      live
        .slice(i + 1)
        .filter((y) => overlaps(x, y))
        .map((y) => `${daysOf(x)} and ${daysOf(y)}`),
    );
    expect(twice).toEqual([]);
    const device = await send(
      'GET /api/equipment/:slug',
      t.http.get(`/api/equipment/${world.slugs[k]}`),
    );
    expect({ kit: k, status: device.body.status }).toEqual({ kit: k, status: world.kits[k] });
  }

  /** A day is offered to a viewer exactly when the model says they could reserve it. */
  async function verifyAvailability(world: World, k: number, date: string, viewer: number | null) {
    const asked = t.http.get(`/api/equipment/${world.slugs[k]}/availability`).query({ date });
    const day = await send(
      'GET /api/equipment/:slug/availability',
      viewer === null ? asked : asked.set(bearer(patrons[viewer].token)),
    );
    expect(day.status).toBe(200);
    const slots = (day.body.slots as { start: string; end: string; available: boolean }[]).map(
      (s) => ({ start: Date.parse(s.start), end: Date.parse(s.end), available: s.available }),
    );
    const whole = daysFrom(date, 1);
    expect(slots.map((s) => [iso(s.start), iso(s.end)])).toEqual(
      openOn(whole.start) ? [[iso(whole.start), iso(whole.end)]] : [],
    );
    const untrue = slots.flatMap((s) => {
      const refused = refusalOf(world, { kit: k, patron: viewer, ...whole, walkIn: false });
      return s.available === (refused === null)
        ? []
        : [`${date} shown ${s.available ? 'free' : 'not free'}, model: ${refused ?? 'free'}`];
    });
    expect({ viewer, untrue }).toEqual({ viewer, untrue: [] });
  }

  /** Days gone by are never offered whatever happens, so only today and later are asked. */
  async function verify(world: World): Promise<void> {
    const ahead = DAYS.filter((date) => daysFrom(date, 1).end > world.now);
    for (let k = 0; k < KITS; k += 1) {
      await verifyKit(world, k);
      await Promise.all(
        ahead.flatMap((date) => VIEWERS.map((v) => verifyAvailability(world, k, date, v))),
      );
    }
  }

  let serial = 0;

  async function freshWorld(): Promise<World> {
    t.clock.set(NOW);
    const slugs: string[] = [];
    const tags: string[] = [];
    for (let k = 0; k < KITS; k += 1) {
      serial += 1;
      const assetTag = `PROP-${process.pid}-${serial}`;
      slugs.push(
        await newDevice(t, {
          category: 'photo-video-loan',
          kind: 'loan',
          assetTag,
          parts: PARTS,
          policy: { ...POLICY },
        }),
      );
      tags.push(assetTag);
    }
    const history: ModelPatron[] = [];
    for (const p of patrons) {
      await t.http.delete(`/api/patrons/${p.cardNumber}/suspension`).set(bearer(staff)).expect(200);
      const noShows = await t.http
        .get('/api/bookings')
        .query({ status: 'no_show', limit: 1000 })
        .set(bearer(p.token))
        .expect(200);
      history.push({ noShows: (noShows.body as unknown[]).length, suspendedUntil: null });
    }
    return {
      now: Date.parse(NOW),
      slugs,
      tags,
      kits: slugs.map(() => 'available' as const),
      bookings: [],
      observed: new Map(),
      patrons: history,
    };
  }

  /** Later runs' sweeps must not find this run's reservations, nor its kits still out. */
  async function releaseLeftovers(world: World): Promise<void> {
    for (const b of world.bookings) {
      if (b.status === 'confirmed')
        await t.http.post(`/api/bookings/${b.id}/cancel`).set(bearer(staff));
      if (b.status === 'checked_in')
        await t.http
          .post(`/api/loans/${b.id}/return`)
          .set(bearer(staff))
          .send({ condition: 'Good' });
    }
  }

  it('never lends a kit twice, never blames a patron for the lab, and tells the truth', async () => {
    await checkModelRuns({
      command,
      example: A_WEEK_OF_EVERYTHING,
      fresh: freshWorld,
      perform,
      verify,
      release: releaseLeftovers,
      runs: 12,
      timeLimitMs: 300_000,
    });
    expectEveryEvent(happened, [
      'create',
      'hand_over',
      'take_back',
      'displace',
      'no_show',
      'cancel',
    ]);
  }, 360_000);
});
