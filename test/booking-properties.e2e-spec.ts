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
  type Outcome,
  outcomeOf,
  send,
  type Tally,
  WRONG_STATUS,
} from './model-runs';
import { bearer, newDevice, newPatron, signIn, TestPatron } from './factories';

/*
 * Random sequences of what patrons and the desk do (book, move, cancel, check in, let time pass
 * and the no-show sweep run) against the running app. After every step the app must agree with a
 * model of the booking rules, and what it shows must hold together on its own: no device booked
 * twice at once, availability that tells the truth, and never a server error.
 */

const ZONE = 'America/New_York';
// Tuesday 1 December 2026, 9:00 in New York; the lab opens at 10:00.
const NOW = '2026-12-01T14:00:00Z';
// Tuesday to Thursday, open 10:00–20:00 each.
const DAYS = ['2026-12-01', '2026-12-02', '2026-12-03'];
const LAST_MOMENT = DateTime.fromISO(DAYS[DAYS.length - 1], { zone: ZONE })
  .endOf('day')
  .toMillis();
const OPENS_HOUR = 10;
const CLOSES_HOUR = 20;
const MINUTE = 60_000;
const PATRONS = 3;
/** Whose availability is checked after every step: anyone, and the first patron, signed in. */
const VIEWERS: (number | null)[] = [null, 0];

type Status =
  'pending' | 'confirmed' | 'checked_in' | 'completed' | 'cancelled' | 'no_show' | 'displaced';
/** What holds its time: a request awaiting approval as much as a confirmed booking. */
const LIVE: Status[] = ['pending', 'confirmed', 'checked_in'];
/** What the lab's own changes take away from a patron (one in use stays theirs). */
const DISPLACEABLE: Status[] = ['pending', 'confirmed'];
type DeviceState = 'available' | 'out_of_service' | 'retired';

interface Policy {
  slotMinutes: number;
  minMinutes: number;
  maxMinutes: number;
  bufferMinutes: number;
  maxAdvanceDays: number;
  minNoticeMinutes: number;
  maxActivePerPatron: number;
  maxMinutesPerWeek: number;
  requiresApproval?: boolean;
  approvalHours?: number;
}

const BASE_POLICY = {
  slotMinutes: 30,
  minMinutes: 30,
  maxMinutes: 120,
  maxAdvanceDays: 14,
  minNoticeMinutes: 0,
};

// One device with quotas and an advance window tight enough to come into play; one with a buffer
// and room to spare;
// one whose patrons' bookings wait for staff approval, decided within three hours (or by its start) or lapsing.
const POLICIES: Policy[] = [
  {
    ...BASE_POLICY,
    // Today and tomorrow only, so that the last day is too far ahead until time reaches it.
    maxAdvanceDays: 1,
    bufferMinutes: 0,
    maxActivePerPatron: 2,
    maxMinutesPerWeek: 150,
  },
  { ...BASE_POLICY, bufferMinutes: 15, maxActivePerPatron: 50, maxMinutesPerWeek: 6000 },
  {
    ...BASE_POLICY,
    bufferMinutes: 0,
    maxActivePerPatron: 3,
    maxMinutesPerWeek: 600,
    requiresApproval: true,
    approvalHours: 3,
  },
];
const APPROVAL_MS = (policy: Policy) => (policy.approvalHours ?? 48) * 3_600_000;

/** A time on one of the days, mostly on the grid, sometimes off it or outside opening hours. */
interface OnADay {
  at: 'day';
  day: number;
  halfHour: number;
  offGrid: number;
  minutes: number;
}

/**
 * A time just before or after a live booking: overlapping it by half an hour (gap -1), touching
 * it (gap 0) or a little apart. That is where buffers and half-open intervals decide.
 */
interface NextToABooking {
  at: 'booking';
  anchor: number;
  after: boolean;
  gap: number;
  offGrid: number;
  minutes: number;
}

/** A time around the present: the slot under way (a walk-in), the one just gone, or soon. */
interface AroundNow {
  at: 'now';
  shift: number;
  offGrid: number;
  minutes: number;
}

type When = OnADay | NextToABooking | AroundNow;

type Command =
  | { kind: 'create'; device: number; patron: number; byDesk: boolean; when: When }
  | { kind: 'reschedule'; pick: number; byDesk: boolean; when: When }
  | { kind: 'cancel'; pick: number; byDesk: boolean }
  | { kind: 'checkIn'; pick: number }
  | { kind: 'decide'; pick: number; approve: boolean }
  | { kind: 'sweep'; minutes: number }
  | { kind: 'outage'; device: number; when: When }
  | { kind: 'closure'; pick: number; preview: boolean }
  | { kind: 'deviceStatus'; device: number; to: DeviceState; preview: boolean }
  | { kind: 'wait'; patron: number; anchor: number; shift: number; minutes: number }
  | { kind: 'hours'; day: number; opens: number; closes: number; preview: boolean };

const offGrid = fc.oneof({ weight: 8, arbitrary: fc.constant(0) }, fc.constant(15));
const length = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(30, 60, 90, 120) },
  fc.constantFrom(15, 45, 150),
);

const when: fc.Arbitrary<When> = fc.oneof(
  {
    weight: 2,
    arbitrary: fc.record({
      at: fc.constant('day' as const),
      day: fc.integer({ min: 0, max: DAYS.length - 1 }),
      // Mostly the late morning, so that requests meet; now and then any half-hour from 8:00 to
      // 21:00, so that some fall outside opening hours.
      halfHour: fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 20, max: 25 }) },
        fc.integer({ min: 16, max: 42 }),
      ),
      offGrid,
      minutes: length,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      at: fc.constant('booking' as const),
      anchor: fc.nat(),
      after: fc.boolean(),
      gap: fc.integer({ min: -1, max: 2 }),
      offGrid,
      minutes: length,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      at: fc.constant('now' as const),
      shift: fc.integer({ min: -1, max: 4 }),
      offGrid,
      minutes: length,
    }),
  },
);

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('create' as const),
      device: fc.integer({ min: 0, max: POLICIES.length - 1 }),
      patron: fc.integer({ min: 0, max: PATRONS - 1 }),
      byDesk: fc.boolean(),
      when,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('reschedule' as const),
      pick: fc.nat(),
      byDesk: fc.boolean(),
      when,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      pick: fc.nat(),
      byDesk: fc.boolean(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('checkIn' as const), pick: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('decide' as const),
      pick: fc.nat(),
      approve: fc.oneof({ weight: 2, arbitrary: fc.constant(true) }, fc.constant(false)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('outage' as const),
      device: fc.integer({ min: 0, max: POLICIES.length - 1 }),
      when,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('closure' as const),
      pick: fc.nat(),
      preview: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('deviceStatus' as const),
      device: fc.integer({ min: 0, max: POLICIES.length - 1 }),
      // Retiring is for good, so it comes seldom: the rest of the run has one device fewer.
      to: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom<DeviceState>('out_of_service', 'available') },
        fc.constant<DeviceState>('retired'),
      ),
      preview: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      patron: fc.integer({ min: 0, max: PATRONS - 1 }),
      // Around a live booking: its very time, or half an hour either side of it.
      anchor: fc.nat(),
      shift: fc.integer({ min: -1, max: 1 }),
      minutes: length,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('hours' as const),
      day: fc.integer({ min: 0, max: DAYS.length - 1 }),
      // Now and then the usual 10:00–20:00 again, so that hours widen as well as shrink.
      opens: fc.constantFrom(OPENS_HOUR, OPENS_HOUR, 11, 12),
      closes: fc.constantFrom(CLOSES_HOUR, CLOSES_HOUR, 16, 18),
      preview: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('sweep' as const),
      // Mostly a while, often just minutes (the grace period decides there), now and then most
      // of a day, past everything booked for today.
      minutes: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 1, max: 120 }) },
        { weight: 2, arbitrary: fc.integer({ min: 1, max: 20 }) },
        fc.integer({ min: 121, max: 1440 }),
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
  device: number;
  patron: number;
  status: Status;
  /** When the patron could first use it: the no-show grace counts from here. */
  usableFrom: number;
  cancelledAt: number | null;
  /** A pending booking lapses, unless decided, at this moment. */
  decideBy: number | null;
}

interface ModelWait extends Span {
  id: string;
  device: number;
  patron: number;
  joinedAt: number;
  status: 'waiting' | 'promoted' | 'left';
  /** The booking a promotion made; learnt from the patron's waitlist after the step. */
  bookingId: string | null;
}

/** How often each lifecycle event happened over all the runs. */
const happened: Tally = new Map();

/** Moves a model booking on, checking that the lifecycle table allows the step. */
function step(booking: ModelBooking, event: BookingEvent, next: Status): void {
  const from = (booking.status as string) === 'new' ? 'new' : booking.status;
  expect(nextStatus(from, event, 'station')).toBe(next);
  booking.status = next;
  count(happened, event);
}

interface ModelPatron {
  noShows: number;
  suspendedUntil: number | null;
}

interface World {
  now: number;
  slugs: string[];
  devices: DeviceState[];
  bookings: ModelBooking[];
  /** Waitlist entries in the order they joined, which is the order they are served in. */
  waits: ModelWait[];
  outages: (Span & { device: number })[];
  /** The status each booking was last seen in, to check every change the app made. */
  observed: Map<string, Status>;
  /** Opening and closing hour of each of the days, by ISO weekday. */
  hours: Map<number, { opens: number; closes: number }>;
  /** Local dates the lab closed during the run. */
  closures: string[];
  patrons: ModelPatron[];
}

interface Request extends Span {
  device: number;
  /** Null for someone not signed in, who is judged by the rules that do not ask who books. */
  patron: number | null;
  walkIn: boolean;
  moving: string | null;
}

const iso = (ms: number) =>
  DateTime.fromMillis(ms, { zone: ZONE }).toISO({ suppressMilliseconds: true })!;

const localTime = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE });

const span = (s: Span) =>
  `${localTime(s.start).toFormat('ccc HH:mm')}–${localTime(s.end).toFormat('HH:mm')}`;

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

const dateOf = (ms: number) => localTime(ms).toISODate()!;

const weekdayOf = (date: string) => DateTime.fromISO(date, { zone: ZONE }).weekday;

/** The opening hours of a local date: the model's for the days, the usual elsewhere. */
const hoursOf = (world: World, date: string) =>
  world.hours.get(weekdayOf(date)) ?? { opens: OPENS_HOUR, closes: CLOSES_HOUR };

/** Whether a time lies within its day's opening hours. */
function withinHours(world: World, s: Span): boolean {
  const date = dateOf(s.start);
  const { opens, closes } = hoursOf(world, date);
  const day = DateTime.fromISO(date, { zone: ZONE });
  return (
    s.start >= day.set({ hour: opens }).toMillis() && s.end <= day.set({ hour: closes }).toMillis()
  );
}

/** The whole local day, midnight to midnight. */
const dayOf = (date: string): Span => {
  const day = DateTime.fromISO(date, { zone: ZONE });
  return { start: day.toMillis(), end: day.plus({ days: 1 }).toMillis() };
};

/** The time a booking holds: its own and the device's buffer after it. */
const heldSpan = (b: ModelBooking): Span => ({
  start: b.start,
  end: b.end + POLICIES[b.device].bufferMinutes * MINUTE,
});

const picked = (world: World, pick: number): ModelBooking | undefined =>
  world.bookings[pick % Math.max(world.bookings.length, 1)];

/** The requested time, and the device of the booking it was placed next to, if any. */
function placeOf(world: World, w: When): Span & { device: number | null } {
  const at = (start: number, device: number | null = null) => ({
    start: start + w.offGrid * MINUTE,
    end: start + (w.offGrid + w.minutes) * MINUTE,
    device,
  });
  switch (w.at) {
    case 'day':
      return at(
        DateTime.fromISO(DAYS[w.day], { zone: ZONE })
          .plus({ minutes: w.halfHour * 30 })
          .toMillis(),
      );
    case 'booking': {
      const live = world.bookings.filter((b) => LIVE.includes(b.status));
      const anchor = live[w.anchor % Math.max(live.length, 1)];
      // With nothing live to stand next to, ask for one of the days' opening instead.
      if (!anchor) return at(openingOf(DAYS[w.anchor % DAYS.length]));
      const gap = w.gap * 30 * MINUTE;
      const start = w.after ? anchor.end + gap : anchor.start - gap - w.minutes * MINUTE;
      return at(start, anchor.device);
    }
    case 'now': {
      const local = localTime(world.now);
      const slot = local.startOf('hour').plus({ minutes: local.minute < 30 ? 0 : 30 });
      return at(slot.plus({ minutes: w.shift * 30 }).toMillis());
    }
  }
}

function openingOf(date: string): number {
  return DateTime.fromISO(date, { zone: ZONE }).set({ hour: OPENS_HOUR }).toMillis();
}

/** When a request made now lapses undecided: after the approval hours, never past its start. */
function decisionDue(world: World, device: number, start: number): number {
  return Math.min(world.now + APPROVAL_MS(POLICIES[device]), start);
}

/** What refuses a request, checked in the order the API promises, or null. */
function refusalOf(world: World, request: Request): string | null {
  return notTheTimeRefusal(world, request) ?? (clashes(world, request) ? 'SLOT_TAKEN' : null);
}

/** Every refusal but the clash with another booking. */
function notTheTimeRefusal(world: World, request: Request): string | null {
  const out =
    world.devices[request.device] !== 'available' ||
    world.outages.some((o) => o.device === request.device && overlaps(o, request));
  return (
    (out ? 'EQUIPMENT_UNAVAILABLE' : null) ??
    timeRefusal(world, request) ??
    quotaRefusal(world, request)
  );
}

/** The patron's standing, then the rules about the time itself. */
function timeRefusal(world: World, request: Request): string | null {
  const policy = POLICIES[request.device];
  const suspended = request.patron === null ? null : world.patrons[request.patron].suspendedUntil;
  if (suspended !== null && suspended > world.now) return 'ACCOUNT_SUSPENDED';
  if (request.start < world.now && !(request.walkIn && request.end > world.now))
    return 'IN_THE_PAST';
  const start = localTime(request.start);
  const minutes = (request.end - request.start) / MINUTE;
  const minuteOfDay = start.hour * 60 + start.minute;
  if (minuteOfDay % policy.slotMinutes !== 0 || minutes % policy.slotMinutes !== 0)
    return 'NOT_ALIGNED';
  if (minutes < policy.minMinutes) return 'TOO_SHORT';
  if (minutes > policy.maxMinutes) return 'TOO_LONG';
  const touched = [dateOf(request.start), dateOf(request.end - 1)];
  if (touched.some((date) => world.closures.includes(date))) return 'CLOSED';
  if (!withinHours(world, request)) return 'OUTSIDE_OPENING_HOURS';
  const lastDay = localTime(world.now)
    .startOf('day')
    .plus({ days: policy.maxAdvanceDays + 1 });
  return request.start >= lastDay.toMillis() ? 'TOO_FAR_AHEAD' : null;
}

/** Upcoming bookings of the device held at once, and minutes of it in the request's week. */
function quotaRefusal(world: World, request: Request): string | null {
  if (request.patron === null) return null;
  const policy = POLICIES[request.device];
  const mine = world.bookings.filter(
    (b) => b.patron === request.patron && b.device === request.device && b.id !== request.moving,
  );
  const active = mine.filter((b) => LIVE.includes(b.status) && b.end > world.now);
  if (active.length >= policy.maxActivePerPatron) return 'QUOTA_EXCEEDED';
  const monday = localTime(request.start).startOf('week');
  const week = { start: monday.toMillis(), end: monday.plus({ weeks: 1 }).toMillis() };
  const used = mine
    .filter((b) => [...LIVE, 'completed'].includes(b.status) && overlaps(b, week))
    .reduce((sum, b) => sum + (b.end - b.start) / MINUTE, 0);
  const minutes = (request.end - request.start) / MINUTE;
  return used + minutes > policy.maxMinutesPerWeek ? 'QUOTA_EXCEEDED' : null;
}

/** Whether the request, with the device's buffer after it, meets another live booking's. */
function clashes(world: World, request: Request): boolean {
  const buffer = POLICIES[request.device].bufferMinutes * MINUTE;
  const keeps = { start: request.start, end: request.end + buffer };
  return world.bookings.some(
    (b) =>
      b.device === request.device &&
      b.id !== request.moving &&
      LIVE.includes(b.status) &&
      overlaps(keeps, { start: b.start, end: b.end + buffer }),
  );
}

/** The slots the lab's day should be cut into: every slot from opening to closing. */
function gridOf(world: World, date: string, slotMinutes: number): string[] {
  const hours = hoursOf(world, date);
  const opens = DateTime.fromISO(date, { zone: ZONE }).set({ hour: hours.opens });
  const count = ((hours.closes - hours.opens) * 60) / slotMinutes;
  return Array.from({ length: count }, (_, i) =>
    iso(opens.plus({ minutes: i * slotMinutes }).toMillis()),
  );
}

const onDay = (day: number, halfHour: number, minutes: number): OnADay => ({
  at: 'day',
  day,
  halfHour,
  offGrid: 0,
  minutes,
});

const underWay: AroundNow = { at: 'now', shift: 0, offGrid: 0, minutes: 30 };

/**
 * One day at the lab run first, before the random ones, so that every event a station booking
 * can go through is certainly checked: requests approved, declined and left to lapse, a
 * check-in, a no-show, an outage displacing an approved booking, a patron's cancellation; a
 * patron refused a place in the queue for their own booking, and one who cancels their own
 * booking leaving the queue; a patron displaced once who is paused on their third no-show, not
 * before, and not again; and shorter hours, a closure and a retired device each displacing.
 */
const A_DAY_OF_EVERYTHING: Command[] = [
  // Requests for the device that needs approval, Tuesday to Thursday at 11:00.
  { kind: 'create', device: 2, patron: 0, byDesk: false, when: onDay(0, 22, 60) },
  { kind: 'create', device: 2, patron: 1, byDesk: false, when: onDay(1, 22, 60) },
  { kind: 'create', device: 2, patron: 2, byDesk: false, when: onDay(2, 22, 60) },
  // Wednesday's is approved, Thursday's declined; Tuesday's is left to lapse at its start.
  { kind: 'decide', pick: 1, approve: true },
  { kind: 'decide', pick: 5, approve: false },
  // The desk books a patron at 10:30; a patron books 11:00 for themselves.
  { kind: 'create', device: 0, patron: 0, byDesk: true, when: onDay(0, 21, 60) },
  { kind: 'create', device: 1, patron: 1, byDesk: false, when: onDay(0, 22, 30) },
  // 10:40: the 10:30 booking is checked in; a walk-in for the half hour under way is checked in
  // as it is made; the desk moves the 11:00 booking into the half hour under way.
  { kind: 'sweep', minutes: 100 },
  { kind: 'checkIn', pick: 1 },
  { kind: 'create', device: 2, patron: 2, byDesk: true, when: underWay },
  { kind: 'reschedule', pick: 4, byDesk: true, when: underWay },
  // 10:50: the moved booking has its whole grace period from the move, so it is no no-show yet.
  { kind: 'sweep', minutes: 10 },
  // 11:20: Tuesday's request lapsed at 11:00, and nobody came for the moved booking.
  { kind: 'sweep', minutes: 30 },
  // Wednesday's approved booking is hit by an outage.
  { kind: 'outage', device: 2, when: onDay(1, 22, 60) },
  // A patron books Thursday and cancels it.
  { kind: 'create', device: 1, patron: 2, byDesk: false, when: onDay(2, 24, 30) },
  { kind: 'cancel', pick: 6, byDesk: false },
  // Patron 0 books Wednesday 11:00; patron 1, who was displaced, books 12:00, 13:00 and 14:00.
  { kind: 'create', device: 0, patron: 0, byDesk: false, when: onDay(1, 22, 30) },
  { kind: 'create', device: 1, patron: 1, byDesk: false, when: onDay(0, 24, 30) },
  { kind: 'create', device: 1, patron: 1, byDesk: false, when: onDay(0, 26, 30) },
  { kind: 'create', device: 1, patron: 1, byDesk: false, when: onDay(0, 28, 30) },
  // Patron 2 waits for Wednesday 11:00–12:00 and books the free half, 11:30; patron 0 may not
  // wait for their own booking.
  { kind: 'wait', patron: 2, anchor: 1, shift: 0, minutes: 60 },
  { kind: 'create', device: 0, patron: 2, byDesk: false, when: onDay(1, 23, 30) },
  { kind: 'wait', patron: 0, anchor: 1, shift: 0, minutes: 30 },
  // 11:25: patron 0 cancels, and patron 2's own 11:30 keeps them waiting; then patron 2 cancels
  // that, which gives the time up: they leave the queue rather than be booked into it.
  { kind: 'sweep', minutes: 5 },
  { kind: 'cancel', pick: 7, byDesk: false },
  { kind: 'cancel', pick: 11, byDesk: false },
  // 12:20 and 13:20: patron 1 misses two bookings; with the displaced one that makes three
  // bookings lost, but only two no-shows, so no pause yet. The third no-show pauses them.
  { kind: 'sweep', minutes: 55 },
  { kind: 'sweep', minutes: 60 },
  { kind: 'create', device: 1, patron: 1, byDesk: false, when: onDay(0, 30, 30) },
  // 14:20: a fourth no-show while paused neither pauses them again nor stretches the pause.
  { kind: 'sweep', minutes: 60 },
  // Bookings for Wednesday 10:30 and 13:00 and Thursday 12:00, then the lab's own changes take
  // each away: Wednesdays open at 12:00, Thursday is closed, the Wednesday 13:00 device retired.
  { kind: 'create', device: 1, patron: 2, byDesk: false, when: onDay(1, 21, 30) },
  { kind: 'create', device: 2, patron: 0, byDesk: true, when: onDay(2, 24, 60) },
  { kind: 'create', device: 0, patron: 2, byDesk: false, when: onDay(1, 26, 30) },
  { kind: 'hours', day: 1, opens: 12, closes: 18, preview: false },
  { kind: 'closure', pick: 0, preview: false },
  { kind: 'deviceStatus', device: 0, to: 'retired', preview: false },
  // A day later none of them is a no-show.
  { kind: 'sweep', minutes: 1440 },
];

describe('Bookings under random sequences of requests', () => {
  let t: TestApp;
  let staff: string;
  let librarian: string;
  /** The lab's weekly hours before the runs, put back after each. */
  let usualWeek: { weekday: number; opens: string; closes: string }[];
  let patrons: TestPatron[];
  let sweeps: BookingSweeps;
  let config: AppConfig;

  beforeAll(async () => {
    t = await createTestApp({
      now: NOW,
      // The runs drive the API far faster than one library address ever would; a 429 here would
      // only hide what the runs are looking for.
      env: { API_RATE_PER_MINUTE: '10000000', AUTH_RATE_PER_15_MINUTES: '10000000' },
    });
    staff = await signIn(t, 'staff');
    librarian = await signIn(t, 'librarian');
    usualWeek = (await t.http.get('/api/hours/weekly').expect(200)).body as typeof usualWeek;
    patrons = [];
    for (let i = 0; i < PATRONS; i += 1) patrons.push(await newPatron(t));
    sweeps = t.app.get(BookingSweeps);
    config = t.app.get(AppConfig);
  });
  afterAll(() => t.close());

  const tokenFor = (byDesk: boolean, patron: number) => (byDesk ? staff : patrons[patron].token);

  async function create(world: World, c: Extract<Command, { kind: 'create' }>, steps: string[]) {
    const place = placeOf(world, c.when);
    const { start, end } = place;
    const device = place.device ?? c.device;
    const patron = patrons[c.patron];
    const request = { device, patron: c.patron, start, end, walkIn: c.byDesk, moving: null };
    const expected = expectedOutcome(refusalOf(world, request), 201);
    const response = await send(
      'POST /api/bookings',
      t.http
        .post('/api/bookings')
        .set(bearer(tokenFor(c.byDesk, c.patron)))
        .send({
          equipment: world.slugs[device],
          start: iso(start),
          end: iso(end),
          ...(c.byDesk ? { cardNumber: patron.cardNumber } : {}),
        }),
    );
    steps.push(
      `${c.byDesk ? 'desk books' : 'patron books'} device ${device} ${span(place)} for patron ${c.patron}: ${answerOf(response)}`,
    );
    // The message rides along so that a mismatch shows what the patron was told.
    expect({ ...outcomeOf(response), message: response.body.message }).toMatchObject(expected);
    if (response.status !== 201) return;
    // A desk walk-in for a slot that has begun: the patron is there, so it is checked in at once.
    const standingThere = c.byDesk && start <= world.now;
    // A patron's own booking of a device that needs approval waits for staff; the desk's is
    // approved as it is made.
    const asks = POLICIES[device].requiresApproval === true && !c.byDesk;
    expect(response.body).toMatchObject({
      equipment: world.slugs[device],
      start: iso(start),
      end: iso(end),
      status: asks ? 'pending' : standingThere ? 'checked_in' : 'confirmed',
      patron: { cardNumber: patron.cardNumber },
    });
    const booking: ModelBooking = {
      id: response.body.id as string,
      device,
      patron: c.patron,
      start,
      end,
      status: 'new' as Status,
      usableFrom: Math.max(start, world.now),
      cancelledAt: null,
      decideBy: asks ? decisionDue(world, device, start) : null,
    };
    step(booking, asks ? 'request' : 'create', asks ? 'pending' : 'confirmed');
    if (standingThere) step(booking, 'check_in', 'checked_in');
    world.bookings.push(booking);
  }

  async function reschedule(
    world: World,
    c: Extract<Command, { kind: 'reschedule' }>,
    steps: string[],
  ) {
    const booking = picked(world, c.pick);
    if (!booking) {
      steps.push('move: nothing booked yet');
      return;
    }
    const { start, end } = placeOf(world, c.when);
    const request = { ...booking, start, end, walkIn: c.byDesk, moving: booking.id };
    const expected = ['pending', 'confirmed'].includes(booking.status)
      ? expectedOutcome(refusalOf(world, request), 200)
      : WRONG_STATUS;
    const response = await send(
      'PATCH /api/bookings/:id',
      t.http
        .patch(`/api/bookings/${booking.id}`)
        .set(bearer(tokenFor(c.byDesk, booking.patron)))
        .send({ start: iso(start), end: iso(end) }),
    );
    steps.push(
      `${c.byDesk ? 'desk moves' : 'patron moves'} ${booking.status} ${span(booking)} on device ${booking.device} to ${span({ start, end })}: ${answerOf(response)}`,
    );
    expect({ ...outcomeOf(response), message: response.body.message }).toMatchObject(expected);
    if (response.status !== 200) return;
    // A patron moving an approved booking of a device that needs approval asks again; a request
    // moved stays a request, with the time to decide it counted afresh.
    const asksAgain =
      POLICIES[booking.device].requiresApproval === true &&
      !c.byDesk &&
      booking.status === 'confirmed';
    const pending = asksAgain || booking.status === 'pending';
    expect(response.body).toMatchObject({
      start: iso(start),
      end: iso(end),
      status: pending ? 'pending' : 'confirmed',
    });
    const freed = heldSpan(booking);
    if (asksAgain) step(booking, 'request', 'pending');
    Object.assign(booking, {
      start,
      end,
      usableFrom: Math.max(start, world.now),
      decideBy: pending ? decisionDue(world, booking.device, start) : null,
    });
    promote(world, booking.device, freed, steps);
  }

  async function cancel(world: World, c: Extract<Command, { kind: 'cancel' }>, steps: string[]) {
    const booking = picked(world, c.pick);
    if (!booking) {
      steps.push('cancel: nothing booked yet');
      return;
    }
    const expected = ['pending', 'confirmed'].includes(booking.status)
      ? { status: 200, code: null }
      : WRONG_STATUS;
    const response = await send(
      'POST /api/bookings/:id/cancel',
      t.http
        .post(`/api/bookings/${booking.id}/cancel`)
        .set(bearer(tokenFor(c.byDesk, booking.patron))),
    );
    steps.push(
      `${c.byDesk ? 'desk cancels' : 'patron cancels'} ${booking.status} ${span(booking)}: ${answerOf(response)}`,
    );
    expect(outcomeOf(response)).toEqual(expected);
    if (response.status !== 200) return;
    expect(response.body.status).toBe('cancelled');
    step(booking, 'cancel', 'cancelled');
    booking.cancelledAt = world.now;
    promote(world, booking.device, heldSpan(booking), steps);
  }

  async function checkIn(world: World, c: Extract<Command, { kind: 'checkIn' }>, steps: string[]) {
    // Mostly a booking due now, so that check-ins happen; otherwise any, to be refused.
    const dueNow = world.bookings.filter(
      (b) =>
        b.status === 'confirmed' &&
        world.now >= b.start - config.checkInEarlyMinutes * MINUTE &&
        world.now < b.end,
    );
    const booking =
      dueNow.length && c.pick % 4 !== 0 ? dueNow[c.pick % dueNow.length] : picked(world, c.pick);
    if (!booking) {
      steps.push('check in: nothing booked yet');
      return;
    }
    const opens = booking.start - config.checkInEarlyMinutes * MINUTE;
    const due = world.now >= opens && world.now < booking.end;
    const expected =
      booking.status !== 'confirmed'
        ? WRONG_STATUS
        : { status: due ? 200 : 422, code: due ? null : 'NOT_DUE' };
    const response = await send(
      'POST /api/bookings/:id/check-in',
      t.http.post(`/api/bookings/${booking.id}/check-in`).set(bearer(staff)),
    );
    steps.push(`desk checks in ${booking.status} ${span(booking)}: ${answerOf(response)}`);
    expect(outcomeOf(response)).toEqual(expected);
    if (response.status !== 200) return;
    expect(response.body.status).toBe('checked_in');
    step(booking, 'check_in', 'checked_in');
  }

  /** Staff approve or decline a booking request; anything but a pending booking is refused. */
  async function decide(world: World, c: Extract<Command, { kind: 'decide' }>, steps: string[]) {
    // Mostly a request still waiting, so that decisions happen; otherwise any, to be refused.
    const waiting = world.bookings.filter((b) => b.status === 'pending');
    const booking =
      waiting.length && c.pick % 4 !== 0 ? waiting[c.pick % waiting.length] : picked(world, c.pick);
    if (!booking) {
      steps.push('decide: nothing booked yet');
      return;
    }
    const expected = booking.status === 'pending' ? { status: 200, code: null } : WRONG_STATUS;
    const response = await send(
      `POST /api/bookings/:id/${c.approve ? 'approve' : 'deny'}`,
      t.http
        .post(`/api/bookings/${booking.id}/${c.approve ? 'approve' : 'deny'}`)
        .set(bearer(staff))
        .send(c.approve ? {} : { reason: 'The studio is booked for a class' }),
    );
    steps.push(
      `desk ${c.approve ? 'approves' : 'declines'} ${booking.status} ${span(booking)} on device ${booking.device}: ${answerOf(response)}`,
    );
    expect(outcomeOf(response)).toEqual(expected);
    if (response.status !== 200) return;
    expect(response.body.status).toBe(c.approve ? 'confirmed' : 'cancelled');
    booking.decideBy = null;
    if (c.approve) {
      step(booking, 'approve', 'confirmed');
      // The no-show grace counts from the approval when the booking has begun by then.
      booking.usableFrom = Math.max(booking.start, world.now);
      return;
    }
    step(booking, 'deny', 'cancelled');
    booking.cancelledAt = world.now;
    promote(world, booking.device, heldSpan(booking), steps);
  }

  /** Time passes and the no-show sweep runs, as the scheduler would every minute. */
  async function sweep(world: World, c: Extract<Command, { kind: 'sweep' }>, steps: string[]) {
    // Time stops at the end of the last day: the model knows the hours of these days only.
    const minutes = Math.min(c.minutes, Math.floor((LAST_MOMENT - world.now) / MINUTE));
    t.clock.advance(minutes);
    world.now += minutes * MINUTE;
    const cutoff = world.now - config.noShowGraceMinutes * MINUTE;
    const late = world.bookings.filter((b) => b.status === 'confirmed' && b.usableFrom <= cutoff);
    const marked = await sweeps.markNoShows(t.clock.now());
    steps.push(
      `${minutes} minutes pass, to ${localTime(world.now).toFormat('ccc HH:mm')}: ${marked} no-shows`,
    );
    expect(marked).toBe(late.length);
    // One by one in order of start, as the sweep goes: each may pause its patron, and then
    // offers its released time to the waitlist.
    const until = world.now + config.suspensionDays * 86_400_000;
    for (const booking of [...late].sort((a, b) => a.start - b.start)) {
      step(booking, 'no_show', 'no_show');
      const patron = world.patrons[booking.patron];
      patron.noShows += 1;
      // The app counts no-shows over weeks, so those from earlier runs count towards a pause too.
      // A pause starts only when none is running, so it is told once and not stretched unseen.
      const paused = patron.suspendedUntil !== null && patron.suspendedUntil > world.now;
      if (patron.noShows >= config.noShowLimit && !paused) patron.suspendedUntil = until;
      promote(world, booking.device, { start: world.now, end: heldSpan(booking).end }, steps);
    }
    // Then the requests nobody decided in time lapse, in the order they were due, and their
    // time goes to the waiting list too. A lapse is never the patron's fault.
    const lapsing = world.bookings
      .filter((b) => b.status === 'pending' && b.decideBy !== null && b.decideBy <= world.now)
      .sort((a, b) => a.decideBy! - b.decideBy!);
    const expired = await sweeps.expireRequests(t.clock.now());
    steps.push(`  ${expired} requests lapse undecided`);
    expect(expired).toBe(lapsing.length);
    for (const booking of lapsing) {
      step(booking, 'expire', 'cancelled');
      booking.cancelledAt = world.now;
      booking.decideBy = null;
      const held = heldSpan(booking);
      promote(
        world,
        booking.device,
        { start: Math.max(held.start, world.now), end: held.end },
        steps,
      );
    }
  }

  /** Staff take a device out of service: the confirmed bookings it hits are displaced. */
  async function outage(world: World, c: Extract<Command, { kind: 'outage' }>, steps: string[]) {
    const place = placeOf(world, c.when);
    const device = place.device ?? c.device;
    const lost = { start: place.start, end: place.end };
    const hit = world.bookings.filter(
      (b) =>
        b.device === device &&
        DISPLACEABLE.includes(b.status) &&
        overlaps(b, lost) &&
        b.end > world.now,
    );
    const response = await send(
      'POST /api/equipment/:slug/outages',
      t.http
        .post(`/api/equipment/${world.slugs[device]}/outages`)
        .set(bearer(staff))
        .send({ start: iso(lost.start), end: iso(lost.end), reason: 'Repairs' }),
    );
    steps.push(`device ${device} out of service ${span(lost)}: ${answerOf(response)}`);
    expect(response.status).toBe(201);
    const displaced = (response.body.displaced as { id: string }[]).map((b) => b.id).sort();
    expect(displaced).toEqual(hit.map((b) => b.id).sort());
    for (const booking of hit) step(booking, 'displace', 'displaced');
    world.outages.push({ device, ...lost });
  }

  /** A librarian closes a day (or previews it): every confirmed booking on it is displaced. */
  async function closure(world: World, c: Extract<Command, { kind: 'closure' }>, steps: string[]) {
    // Mostly a day someone has booked, so that the closure hits something.
    const live = world.bookings.filter((b) => LIVE.includes(b.status) && b.end > world.now);
    const anchor = live[c.pick % Math.max(live.length, 1)];
    const date = anchor ? dateOf(anchor.start) : DAYS[c.pick % DAYS.length];
    const already = world.closures.includes(date);
    const hit = already
      ? []
      : world.bookings.filter(
          (b) => DISPLACEABLE.includes(b.status) && b.end > world.now && overlaps(b, dayOf(date)),
        );
    const response = await send(
      'POST /api/closures',
      t.http
        .post('/api/closures')
        .query(c.preview ? { preview: 'true' } : {})
        .set(bearer(librarian))
        .send({ date, reason: 'Staff training' }),
    );
    steps.push(
      `lab ${c.preview ? 'previews closing' : 'closes'} ${date}${already ? ' (closed already)' : ''}: ${answerOf(response)}`,
    );
    if (already) {
      expect(response.status).toBe(409);
      return;
    }
    expect(response.status).toBe(201);
    const displaced = (response.body.displaced as { id: string }[]).map((b) => b.id).sort();
    expect(displaced).toEqual(hit.map((b) => b.id).sort());
    if (c.preview) return;
    for (const booking of hit) step(booking, 'displace', 'displaced');
    world.closures.push(date);
  }

  /**
   * A librarian sets a device out of service, back in service, or retires it (or previews it):
   * taking it out displaces its confirmed bookings from now on; a retired device stays retired.
   */
  async function deviceStatus(
    world: World,
    c: Extract<Command, { kind: 'deviceStatus' }>,
    steps: string[],
  ) {
    const was = world.devices[c.device];
    const slug = world.slugs[c.device];
    const goesOut = was !== 'retired' && c.to !== 'available' && was !== c.to;
    const hit = goesOut
      ? world.bookings.filter(
          (b) => b.device === c.device && DISPLACEABLE.includes(b.status) && b.end > world.now,
        )
      : [];
    const query = c.preview ? { preview: 'true' } : {};
    const response = await send(
      c.to === 'retired' ? 'DELETE /api/equipment/:slug' : 'PATCH /api/equipment/:slug',
      c.to === 'retired'
        ? t.http.delete(`/api/equipment/${slug}`).query(query).set(bearer(librarian))
        : t.http
            .patch(`/api/equipment/${slug}`)
            .query(query)
            .set(bearer(librarian))
            .send({ status: c.to }),
    );
    steps.push(
      `device ${c.device} (${was}) ${c.preview ? 'previewed as' : 'set'} ${c.to}: ${answerOf(response)}`,
    );
    if (was === 'retired' && c.to !== 'retired') {
      expect(response.status).toBe(409);
      return;
    }
    expect(response.status).toBe(200);
    const displaced = (response.body.displaced as { id: string }[]).map((b) => b.id).sort();
    expect(displaced).toEqual(hit.map((b) => b.id).sort());
    expect(response.body.status).toBe(c.preview ? was : c.to);
    if (c.preview) return;
    for (const booking of hit) step(booking, 'displace', 'displaced');
    world.devices[c.device] = c.to;
  }

  /**
   * A patron joins the waitlist for a time around a live booking. Refused when it is their own
   * (ALREADY_YOURS), when a rule refuses them, when the time is free (NOT_TAKEN), or when they
   * already wait for exactly that time.
   */
  async function wait(world: World, c: Extract<Command, { kind: 'wait' }>, steps: string[]) {
    const live = world.bookings.filter((b) => LIVE.includes(b.status) && b.end > world.now);
    const anchor = live[c.anchor % Math.max(live.length, 1)];
    if (!anchor) {
      steps.push('wait: nothing booked to wait for');
      return;
    }
    const start = anchor.start + c.shift * 30 * MINUTE;
    const end = start + c.minutes * MINUTE;
    const device = anchor.device;
    const request = { device, patron: c.patron, start, end, walkIn: false, moving: null };
    const own = world.bookings.find(
      (b) =>
        b.patron === c.patron &&
        b.device === device &&
        LIVE.includes(b.status) &&
        overlaps(b, request),
    );
    const refused = notTheTimeRefusal(world, request);
    const twice = world.waits.some(
      (w) =>
        w.status === 'waiting' &&
        w.patron === c.patron &&
        w.device === device &&
        w.start === start &&
        w.end === end,
    );
    const expected: Outcome = own
      ? { status: 422, code: 'ALREADY_YOURS' }
      : refused
        ? { status: 422, code: refused }
        : !clashes(world, request)
          ? { status: 422, code: 'NOT_TAKEN' }
          : twice
            ? { status: 409, code: null }
            : { status: 201, code: null };
    const response = await send(
      'POST /api/waitlist',
      t.http
        .post('/api/waitlist')
        .set(bearer(patrons[c.patron].token))
        .send({ equipment: world.slugs[device], start: iso(start), end: iso(end) }),
    );
    steps.push(
      `patron ${c.patron} waits for device ${device} ${span(request)}: ${answerOf(response)}`,
    );
    expect({ ...outcomeOf(response), message: response.body.message }).toMatchObject(expected);
    if (response.status !== 201) return;
    expect(response.body).toMatchObject({ status: 'waiting', position: expect.any(Number) });
    world.waits.push({
      id: response.body.id as string,
      device,
      patron: c.patron,
      start,
      end,
      joinedAt: world.now,
      status: 'waiting',
      bookingId: null,
    });
  }

  /**
   * Freed time goes to the waiting patrons in the order they joined: the first whose time overlaps
   * it and who passes every rule (as a walk-in: no notice period, a slot begun may be taken) gets
   * the booking; a patron who cancelled their own booking of that time since joining leaves the
   * queue instead; the others keep their place.
   */
  function promote(world: World, device: number, freed: Span, steps: string[]): void {
    const queue = world.waits.filter(
      (w) =>
        w.status === 'waiting' && w.device === device && overlaps(w, freed) && w.end > world.now,
    );
    for (const wait of queue) {
      const gaveUp = world.bookings.some(
        (b) =>
          b.patron === wait.patron &&
          b.device === device &&
          b.cancelledAt !== null &&
          b.cancelledAt > wait.joinedAt &&
          overlaps(b, wait),
      );
      if (gaveUp) {
        wait.status = 'left';
        steps.push(`  patron ${wait.patron} gave ${span(wait)} up and leaves the queue`);
        continue;
      }
      const request = { ...wait, walkIn: true, moving: null };
      const refused = refusalOf(world, request);
      if (refused) continue;
      wait.status = 'promoted';
      steps.push(`  patron ${wait.patron} is promoted into ${span(wait)}`);
      // A promotion is the patron's own booking: on a device that needs approval, a request.
      const asks = POLICIES[device].requiresApproval === true;
      const booking: ModelBooking = {
        // Known once the patron's waitlist has been read.
        id: `promoted:${wait.id}`,
        device,
        patron: wait.patron,
        start: wait.start,
        end: wait.end,
        status: 'new' as Status,
        usableFrom: Math.max(wait.start, world.now),
        cancelledAt: null,
        decideBy: asks ? decisionDue(world, device, wait.start) : null,
      };
      step(booking, asks ? 'request' : 'create', asks ? 'pending' : 'confirmed');
      world.bookings.push(booking);
    }
  }

  /** Each patron's waitlist must be the model's; a promotion names the booking it made. */
  async function verifyWaitlist(world: World): Promise<void> {
    for (let p = 0; p < PATRONS; p += 1) {
      const mine = world.waits.filter((w) => w.patron === p);
      if (mine.length === 0) continue;
      const listed = await send(
        'GET /api/waitlist',
        t.http.get('/api/waitlist').set(bearer(patrons[p].token)),
      );
      expect(listed.status).toBe(200);
      const rows = new Map(
        (listed.body as { id: string; status: string; bookingId: string | null }[]).map((r) => [
          r.id,
          r,
        ]),
      );
      const seen = mine.map((w) => `${w.id} ${span(w)} ${rows.get(w.id)?.status}`);
      expect(seen).toEqual(mine.map((w) => `${w.id} ${span(w)} ${w.status}`));
      for (const wait of mine.filter((w) => w.status === 'promoted' && w.bookingId === null)) {
        const bookingId = rows.get(wait.id)!.bookingId;
        expect(bookingId).toEqual(expect.any(String));
        wait.bookingId = bookingId;
        world.bookings.find((b) => b.id === `promoted:${wait.id}`)!.id = bookingId!;
      }
    }
  }

  /**
   * A librarian changes one weekday's opening hours (or previews it), for everyone: the confirmed
   * bookings the new hours no longer hold are displaced. The usual hours come back after the run.
   */
  async function hours(world: World, c: Extract<Command, { kind: 'hours' }>, steps: string[]) {
    const weekday = weekdayOf(DAYS[c.day]);
    const next = new Map(world.hours).set(weekday, { opens: c.opens, closes: c.closes });
    const after = { ...world, hours: next };
    const hit = world.bookings.filter(
      (b) => DISPLACEABLE.includes(b.status) && b.end > world.now && !withinHours(after, b),
    );
    const clock = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
    const intervals = usualWeek.map((i) => {
      const changed = next.get(i.weekday);
      return changed ? { ...i, opens: clock(changed.opens), closes: clock(changed.closes) } : i;
    });
    const response = await send(
      'PUT /api/hours/weekly',
      t.http
        .put('/api/hours/weekly')
        .query(c.preview ? { preview: 'true' } : {})
        .set(bearer(librarian))
        .send({ intervals }),
    );
    steps.push(
      `lab ${c.preview ? 'previews' : 'sets'} ${localTime(openingOf(DAYS[c.day])).toFormat('cccc')}s ${c.opens}:00–${c.closes}:00: ${answerOf(response)}`,
    );
    expect(response.status).toBe(200);
    const displaced = (response.body.displaced as { id: string }[]).map((b) => b.id).sort();
    expect(displaced).toEqual(hit.map((b) => b.id).sort());
    if (c.preview) return;
    for (const booking of hit) step(booking, 'displace', 'displaced');
    world.hours = next;
  }

  async function perform(world: World, c: Command, steps: string[]): Promise<void> {
    switch (c.kind) {
      case 'create':
        return create(world, c, steps);
      case 'reschedule':
        return reschedule(world, c, steps);
      case 'cancel':
        return cancel(world, c, steps);
      case 'checkIn':
        return checkIn(world, c, steps);
      case 'decide':
        return decide(world, c, steps);
      case 'sweep':
        return sweep(world, c, steps);
      case 'outage':
        return outage(world, c, steps);
      case 'closure':
        return closure(world, c, steps);
      case 'deviceStatus':
        return deviceStatus(world, c, steps);
      case 'wait':
        return wait(world, c, steps);
      case 'hours':
        return hours(world, c, steps);
    }
  }

  /** The desk's list of a device's bookings must be the model's, and hold no double booking. */
  async function verifyListing(world: World, device: number): Promise<Span[]> {
    const listed = await send(
      'GET /api/bookings',
      t.http
        .get('/api/bookings')
        .query({ equipment: world.slugs[device], limit: 1000 })
        .set(bearer(staff)),
    );
    expect(listed.status).toBe(200);
    const rows = (listed.body as { id: string; status: Status; start: string; end: string }[]).map(
      (b) => ({ id: b.id, status: b.status, start: Date.parse(b.start), end: Date.parse(b.end) }),
    );
    const lines = (list: (Span & { id: string; status: Status })[]) =>
      list.map((r) => `${r.status} ${iso(r.start)}–${iso(r.end)} ${r.id}`).sort();
    expect(lines(rows)).toEqual(lines(world.bookings.filter((b) => b.device === device)));
    expect(rows.flatMap((r) => unlawfulChange(world, r))).toEqual([]);

    const buffer = POLICIES[device].bufferMinutes * MINUTE;
    const held = rows
      .filter((r) => LIVE.includes(r.status))
      .map((r) => ({ start: r.start, end: r.end + buffer, label: span(r) }));
    const doubleBooked = held.flatMap((x, i) =>
      held
        .slice(i + 1)
        .filter((y) => overlaps(x, y))
        .map((y) => `${x.label} and ${y.label}`),
    );
    expect(doubleBooked).toEqual([]);
    return held;
  }

  /**
   * Each status change seen since the last step must be one the lifecycle allows (a new booking is
   * made confirmed, and a walk-in for the slot under way checked in at once), and a no-show only
   * for a booking usable for the whole grace period.
   */
  function unlawfulChange(world: World, row: { id: string; status: Status }): string[] {
    const was = world.observed.get(row.id) ?? 'new';
    world.observed.set(row.id, row.status);
    if (was === row.status) return [];
    const from: (Status | 'new')[] = was === 'new' ? ['new', 'confirmed'] : [was];
    const allowed = from.some((status) =>
      BOOKING_EVENTS.some((event) => nextStatus(status, event, 'station') === row.status),
    );
    const wrong = allowed ? [] : [`${row.id} went from ${was} to ${row.status}`];
    if (row.status !== 'no_show') return wrong;
    const booking = world.bookings.find((b) => b.id === row.id)!;
    const graceEnds = booking.usableFrom + config.noShowGraceMinutes * MINUTE;
    return graceEnds <= world.now && was === 'confirmed'
      ? wrong
      : [...wrong, `${row.id} (${was}, usable ${iso(booking.usableFrom)}) became a no-show`];
  }

  /**
   * A slot is offered to a viewer (anonymous, or a signed-in patron) exactly when the model says
   * that viewer could book the device's shortest length from there.
   */
  async function verifyAvailability(
    world: World,
    device: number,
    date: string,
    viewer: number | null,
  ) {
    const asked = t.http.get(`/api/equipment/${world.slugs[device]}/availability`).query({ date });
    const day = await send(
      'GET /api/equipment/:slug/availability',
      viewer === null ? asked : asked.set(bearer(patrons[viewer].token)),
    );
    expect(day.status).toBe(200);
    const slots = (day.body.slots as { start: string; end: string; available: boolean }[]).map(
      (s) => ({ start: Date.parse(s.start), end: Date.parse(s.end), available: s.available }),
    );
    const policy = POLICIES[device];
    const grid = world.closures.includes(date) ? [] : gridOf(world, date, policy.slotMinutes);
    expect(slots.map((s) => iso(s.start))).toEqual(grid);
    const untrue = slots.flatMap((s) => {
      const refused = refusalOf(world, {
        device,
        patron: viewer,
        start: s.start,
        end: s.start + policy.minMinutes * MINUTE,
        walkIn: false,
        moving: null,
      });
      return s.available === (refused === null)
        ? []
        : [`${span(s)} shown ${s.available ? 'free' : 'not free'}, model: ${refused ?? 'free'}`];
    });
    expect({ viewer: viewer === null ? 'anonymous' : `patron ${viewer}`, untrue }).toEqual({
      viewer: viewer === null ? 'anonymous' : `patron ${viewer}`,
      untrue: [],
    });
  }

  /** Each patron is paused exactly when, and until when, their own no-shows say. */
  async function verifyStanding(world: World): Promise<void> {
    const seen: (string | null)[] = [];
    for (const patron of patrons) {
      const me = await send('GET /api/me', t.http.get('/api/me').set(bearer(patron.token)));
      expect(me.status).toBe(200);
      const until = me.body.suspendedUntil as string | null | undefined;
      seen.push(until ? iso(Date.parse(until)) : null);
    }
    expect(seen).toEqual(
      world.patrons.map((p) => (p.suspendedUntil === null ? null : iso(p.suspendedUntil))),
    );
  }

  async function verify(world: World): Promise<void> {
    await verifyWaitlist(world);
    await verifyStanding(world);
    await Promise.all(
      world.slugs.map(async (_, device) => {
        await verifyListing(world, device);
        const views = DAYS.flatMap((date) => VIEWERS.map((viewer) => ({ date, viewer })));
        await Promise.all(
          views.map(({ date, viewer }) => verifyAvailability(world, device, date, viewer)),
        );
      }),
    );
  }

  /** Fresh devices for each run; the patrons carry their no-show history from earlier runs. */
  async function freshWorld(): Promise<World> {
    t.clock.set(NOW);
    const slugs: string[] = [];
    for (const policy of POLICIES) slugs.push(await newDevice(t, { policy: { ...policy } }));
    const history: ModelPatron[] = [];
    for (const patron of patrons) {
      await t.http
        .delete(`/api/patrons/${patron.cardNumber}/suspension`)
        .set(bearer(staff))
        .expect(200);
      const noShows = await t.http
        .get('/api/bookings')
        .query({ status: 'no_show', limit: 1000 })
        .set(bearer(patron.token))
        .expect(200);
      history.push({ noShows: (noShows.body as unknown[]).length, suspendedUntil: null });
    }
    return {
      now: Date.parse(NOW),
      slugs,
      devices: POLICIES.map(() => 'available' as const),
      bookings: [],
      waits: [],
      outages: [],
      observed: new Map(),
      hours: new Map(
        DAYS.map((date) => [weekdayOf(date), { opens: OPENS_HOUR, closes: CLOSES_HOUR }]),
      ),
      closures: [],
      patrons: history,
    };
  }

  /** Later runs' sweeps must not find this run's bookings, whatever state it stopped in. */
  async function releaseLeftovers(world: World): Promise<void> {
    // Closures are the whole lab's: the next run starts on open days, whatever this one closed.
    for (const date of DAYS) await t.http.delete(`/api/closures/${date}`).set(bearer(librarian));
    await t.http
      .put('/api/hours/weekly')
      .set(bearer(librarian))
      .send({ intervals: usualWeek })
      .expect(200);
    // Nobody waits any more, so cancelling what is left promotes nobody into a later run.
    for (const patron of patrons) {
      const waits = await t.http.get('/api/waitlist').set(bearer(patron.token));
      for (const w of (waits.body as { id: string; status: string }[] | undefined) ?? [])
        if (w.status === 'waiting')
          await t.http.delete(`/api/waitlist/${w.id}`).set(bearer(patron.token));
    }
    for (const slug of world.slugs) {
      for (const status of ['pending', 'confirmed']) {
        const open = await t.http
          .get('/api/bookings')
          .query({ equipment: slug, status, limit: 1000 })
          .set(bearer(staff));
        for (const booking of (open.body as { id: string }[] | undefined) ?? [])
          await t.http.post(`/api/bookings/${booking.id}/cancel`).set(bearer(staff));
      }
    }
  }

  it('never double-books, keeps availability truthful and follows the rules', async () => {
    await checkModelRuns({
      command,
      example: A_DAY_OF_EVERYTHING,
      fresh: freshWorld,
      perform,
      verify,
      release: releaseLeftovers,
      runs: 20,
      timeLimitMs: 360_000,
    });
    // The runs reached every event a station booking can go through, so each was checked.
    expectEveryEvent(happened, [
      'create',
      'request',
      'approve',
      'deny',
      'cancel',
      'check_in',
      'no_show',
      'displace',
      'expire',
    ]);
  }, 420_000);
});
