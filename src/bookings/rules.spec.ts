import { DateTime } from 'luxon';
import { HouseStyle } from '../common/house-style';
import type { BookingPolicy } from '../equipment/policy';
import {
  accountInGoodStanding,
  accountVerified,
  alignedToSlots,
  BookingFacts,
  enoughNotice,
  equipmentAvailable,
  firstRefusal,
  localWeek,
  longEnough,
  notInThePast,
  notOnAClosure,
  notTooFarAhead,
  oldEnough,
  youngEnough,
  inAllowedGroup,
  oriented,
  shortEnough,
  wallMinutes,
  withinOpeningHours,
  withinQuota,
} from './rules';

const ZONE = 'America/New_York';
const at = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toJSDate();

const policy: BookingPolicy = {
  slotMinutes: 30,
  minMinutes: 60,
  maxMinutes: 120,
  bufferMinutes: 0,
  maxAdvanceDays: 14,
  minNoticeMinutes: 60,
  maxActivePerPatron: 2,
  maxMinutesPerWeek: 240,
};

/** Wednesday 2 December 2026, 15:00–16:00, asked on Tuesday at 9:00, by an adult in good standing. */
function facts(overrides: Partial<BookingFacts> = {}): BookingFacts {
  return {
    request: { start: at('2026-12-02T15:00'), end: at('2026-12-02T16:00') },
    now: at('2026-12-01T09:00'),
    zone: ZONE,
    style: new HouseStyle('en-US', ZONE),
    policy,
    device: {
      name: 'Podcast studio',
      kind: 'station',
      status: 'available',
      minAge: 12,
      requiresOrientation: false,
    },
    patron: { age: 30, suspendedUntil: null, group: 'adult', verified: true },
    certified: false,
    rereads: [],
    days: [
      {
        date: '2026-12-02',
        open: [{ start: at('2026-12-02T10:00'), end: at('2026-12-02T20:00') }],
        closure: null,
      },
    ],
    outages: [],
    activeCount: 0,
    minutesThisWeek: 0,
    minutesThisDay: 0,
    liveInLab: 0,
    labCap: 0,
    walkIn: false,
    ...overrides,
  };
}

const request = (start: string, end: string) => ({ request: { start: at(start), end: at(end) } });

describe(firstRefusal.name, () => {
  it('accepts an ordinary booking', () => {
    expect(firstRefusal(facts())).toBeNull();
  });

  it('names the device problem before the time problem', () => {
    const refused = firstRefusal(
      facts({
        ...request('2026-11-30T15:00', '2026-11-30T16:00'),
        device: { ...facts().device, status: 'out_of_service' },
      }),
    );
    expect(refused?.code).toBe('EQUIPMENT_UNAVAILABLE');
  });
});

describe.each([
  [
    'equipmentAvailable',
    equipmentAvailable,
    { device: { ...facts().device, status: 'retired' as const } },
    'EQUIPMENT_UNAVAILABLE',
  ],
  [
    'equipmentAvailable',
    equipmentAvailable,
    { outages: [{ start: at('2026-12-02T14:00'), end: at('2026-12-02T18:00') }] },
    'EQUIPMENT_UNAVAILABLE',
  ],
  [
    'accountInGoodStanding',
    accountInGoodStanding,
    { patron: { age: 30, suspendedUntil: at('2026-12-10T00:00'), group: 'adult', verified: true } },
    'ACCOUNT_SUSPENDED',
  ],
  [
    'accountVerified',
    accountVerified,
    { patron: { age: 30, suspendedUntil: null, verified: false } },
    'ACCOUNT_UNVERIFIED',
  ],
  [
    'oldEnough',
    oldEnough,
    {
      patron: { age: 14, suspendedUntil: null, group: 'teen', verified: true },
      device: { ...facts().device, minAge: 16 },
    },
    'AGE_RESTRICTED',
  ],
  ['youngEnough', youngEnough, { policy: { ...policy, maxAge: 18 } }, 'TOO_OLD'],
  [
    'youngEnough',
    youngEnough,
    { device: { ...facts().device, area: { name: 'Teen Room', minAge: 12, maxAge: 18 } } },
    'TOO_OLD',
  ],
  [
    'oldEnough',
    oldEnough,
    {
      patron: { age: 11, suspendedUntil: null, group: 'child', verified: true },
      device: { ...facts().device, minAge: 0, area: { name: 'Teen Room', minAge: 12, maxAge: 18 } },
    },
    'AGE_RESTRICTED',
  ],
  [
    'inAllowedGroup',
    inAllowedGroup,
    {
      patron: { age: 10, suspendedUntil: null, group: 'child', verified: true },
      policy: { ...policy, groups: ['teen', 'adult'] },
    },
    'GROUP_RESTRICTED',
  ],
  [
    'oriented',
    oriented,
    { device: { ...facts().device, requiresOrientation: true } },
    'ORIENTATION_REQUIRED',
  ],
  ['notInThePast', notInThePast, request('2026-12-01T08:00', '2026-12-01T08:30'), 'IN_THE_PAST'],
  [
    'alignedToSlots',
    alignedToSlots,
    request('2026-12-02T15:10', '2026-12-02T16:10'),
    'NOT_ALIGNED',
  ],
  [
    'alignedToSlots',
    alignedToSlots,
    request('2026-12-02T15:00', '2026-12-02T16:15'),
    'NOT_ALIGNED',
  ],
  ['longEnough', longEnough, request('2026-12-02T15:00', '2026-12-02T15:30'), 'TOO_SHORT'],
  ['shortEnough', shortEnough, request('2026-12-02T15:00', '2026-12-02T17:30'), 'TOO_LONG'],
  [
    'notOnAClosure',
    notOnAClosure,
    { days: [{ date: '2026-12-02', open: [], closure: 'Staff training' }] },
    'CLOSED',
  ],
  [
    'withinOpeningHours',
    withinOpeningHours,
    request('2026-12-02T19:30', '2026-12-02T20:30'),
    'OUTSIDE_OPENING_HOURS',
  ],
  [
    'withinOpeningHours',
    withinOpeningHours,
    request('2026-12-02T09:30', '2026-12-02T10:30'),
    'OUTSIDE_OPENING_HOURS',
  ],
  [
    'notTooFarAhead',
    notTooFarAhead,
    request('2026-12-16T10:00', '2026-12-16T11:00'),
    'TOO_FAR_AHEAD',
  ],
  [
    'enoughNotice',
    enoughNotice,
    { ...request('2026-12-01T10:00', '2026-12-01T11:00'), now: at('2026-12-01T09:30') },
    'TOO_LATE_TO_BOOK',
  ],
  ['withinQuota', withinQuota, { activeCount: 2 }, 'QUOTA_EXCEEDED'],
  ['withinQuota', withinQuota, { minutesThisWeek: 200 }, 'QUOTA_EXCEEDED'],
] as const)('%s', (_name, rule, overrides, code) => {
  it(`refuses with ${code} for ${JSON.stringify(overrides).slice(0, 60)}`, () => {
    expect(rule(facts(overrides as Partial<BookingFacts>))?.code).toBe(code);
  });

  it('lets an ordinary booking through', () => {
    expect(rule(facts())).toBeNull();
  });
});

describe(youngEnough.name, () => {
  const teenRoom = { name: 'Teen Room', minAge: 12, maxAge: 18 };
  it.each([
    [18, undefined, teenRoom, null],
    [19, undefined, teenRoom, 'TOO_OLD'],
    [17, 16, teenRoom, 'TOO_OLD'],
    [40, undefined, null, null],
    [40, 65, undefined, null],
  ])('judges a patron aged %i (policy maxAge %s, area %j)', (age, maxAge, area, code) => {
    const refused = youngEnough(
      facts({
        patron: { age, suspendedUntil: null, group: 'adult', verified: true },
        policy: { ...policy, ...(maxAge === undefined ? {} : { maxAge }) },
        device: { ...facts().device, area },
      }),
    );
    expect(refused?.code ?? null).toBe(code);
  });

  it('says the area’s ages when the area sets the limit', () => {
    const refused = youngEnough(
      facts({ device: { ...facts().device, area: { name: 'Teen Room', minAge: 12, maxAge: 18 } } }),
    );
    expect(refused?.message).toMatch(/aged 18 and under \(the Teen Room is for ages 12 to 18\)/);
  });
});

describe('edges', () => {
  it.each([
    [
      'the last day that may be booked',
      request('2026-12-15T19:00', '2026-12-15T20:00'),
      notTooFarAhead,
    ],
    [
      'a booking ending as the lab closes',
      request('2026-12-02T19:00', '2026-12-02T20:00'),
      withinOpeningHours,
    ],
    [
      'exactly the notice period',
      { ...request('2026-12-01T10:00', '2026-12-01T11:00'), now: at('2026-12-01T09:00') },
      enoughNotice,
    ],
    [
      'a walk-in inside the notice period',
      {
        ...request('2026-12-01T10:00', '2026-12-01T11:00'),
        now: at('2026-12-01T09:50'),
        walkIn: true,
      },
      enoughNotice,
    ],
    [
      'a walk-in for the slot under way',
      {
        ...request('2026-12-01T10:00', '2026-12-01T11:00'),
        now: at('2026-12-01T10:10'),
        walkIn: true,
      },
      notInThePast,
    ],
    [
      'a certified patron',
      { device: { ...facts().device, requiresOrientation: true }, certified: true },
      oriented,
    ],
    [
      'a suspension that has ended',
      {
        patron: { age: 30, suspendedUntil: at('2026-11-30T00:00'), group: 'adult', verified: true },
      },
      accountInGoodStanding,
    ],
    ['using the week up to the minute', { minutesThisWeek: 180 }, withinQuota],
    ['a walkthrough to re-read for a device needing no orientation', { rereads: ['x'] }, oriented],
  ])('allows %s', (_name, overrides, rule) => {
    expect(rule(facts(overrides as Partial<BookingFacts>))).toBeNull();
  });

  it('asks a certified patron to re-read a walkthrough revised in a way that changes use', () => {
    const device = { ...facts().device, requiresOrientation: true };
    const refused = oriented(
      facts({ device, certified: true, rereads: ['podcast-studio-basics'] }),
    );
    expect(refused).toEqual({
      code: 'ORIENTATION_REQUIRED',
      message: expect.stringMatching(/has changed .*\(podcast-studio-basics\)/),
    });
  });

  it('refuses a patron (not a walk-in) for the slot under way', () => {
    expect(
      notInThePast(
        facts({ ...request('2026-12-01T10:00', '2026-12-01T11:00'), now: at('2026-12-01T10:10') }),
      )?.code,
    ).toBe('IN_THE_PAST');
  });

  it('treats a loan kit by whole days: open pick-up and return days, midnight to midnight', () => {
    const loan = { ...facts().device, kind: 'loan' as const };
    const daily = { ...policy, slotMinutes: 1440, minMinutes: 1440, maxMinutes: 10080 };
    const week = request('2026-12-02T00:00', '2026-12-09T00:00');
    const days = [
      {
        date: '2026-12-02',
        open: [{ start: at('2026-12-02T10:00'), end: at('2026-12-02T20:00') }],
        closure: null,
      },
      { date: '2026-12-08', open: [], closure: null },
    ];
    expect(alignedToSlots(facts({ ...week, policy: daily, device: loan }))).toBeNull();
    expect(withinOpeningHours(facts({ ...week, device: loan, days }))?.code).toBe(
      'OUTSIDE_OPENING_HOURS',
    );
    expect(
      alignedToSlots(
        facts({ ...request('2026-12-02T10:00', '2026-12-03T10:00'), policy: daily, device: loan }),
      )?.code,
    ).toBe('NOT_ALIGNED');
  });
});

describe(wallMinutes.name, () => {
  it.each([
    ['2027-03-13T00:00', '2027-03-15T00:00', 2880],
    ['2027-11-06T00:00', '2027-11-08T00:00', 2880],
    ['2027-03-14T13:00', '2027-03-14T15:00', 120],
  ])('counts %s to %s as %i wall-clock minutes', (start, end, minutes) => {
    expect(wallMinutes({ start: at(start), end: at(end) }, ZONE)).toBe(minutes);
  });
});

describe(localWeek.name, () => {
  it('runs Monday to Monday in local time', () => {
    const week = localWeek(at('2026-12-03T15:00'), ZONE);
    expect(week.start).toEqual(at('2026-11-30T00:00'));
    expect(week.end).toEqual(at('2026-12-07T00:00'));
  });
});
