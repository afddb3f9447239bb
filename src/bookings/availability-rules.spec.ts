import { DateTime } from 'luxon';
import { HouseStyle } from '../common/house-style';
import type { BookingPolicy } from '../equipment/policy';
import {
  ANONYMOUS,
  ANYONE_RULES,
  bookableFor,
  type DeviceFacts,
  judgeDay,
  shortestBooking,
  type ViewerFacts,
} from './availability-rules';
import {
  accountInGoodStanding,
  accountVerified,
  inAllowedGroup,
  oldEnough,
  youngEnough,
  oriented,
  RULES,
  withinDailyLimit,
  withinLabCap,
  withinQuota,
} from './rules';

const ZONE = 'America/New_York';
const at = (local: string) => DateTime.fromISO(local, { zone: ZONE }).toJSDate();
const hhmm = (d: Date) => DateTime.fromJSDate(d, { zone: ZONE }).toFormat('HH:mm');

const POLICY: BookingPolicy = {
  slotMinutes: 60,
  minMinutes: 60,
  maxMinutes: 120,
  bufferMinutes: 0,
  maxAdvanceDays: 14,
  minNoticeMinutes: 0,
  maxActivePerPatron: 2,
  maxMinutesPerWeek: 240,
};

function device(overrides: Partial<DeviceFacts> = {}, date = '2026-12-02'): DeviceFacts {
  return {
    now: at('2026-12-01T09:00'),
    zone: ZONE,
    style: new HouseStyle('en-US', ZONE),
    policy: POLICY,
    device: {
      name: 'The podcast studio',
      kind: 'station',
      status: 'available',
      minAge: 0,
      requiresOrientation: false,
    },
    days: new Map([
      [
        date,
        { date, open: [{ start: at(`${date}T10:00`), end: at(`${date}T13:00`) }], closure: null },
      ],
    ]),
    outages: [],
    ...overrides,
  };
}

const ADULT: ViewerFacts = {
  rules: RULES,
  walkIn: false,
  patron: { age: 30, suspendedUntil: null, group: 'adult', verified: true },
  certifiedUntil: undefined,
  rereads: [],
  activeCount: 0,
  usage: [],
  categoryUsage: [],
  liveInLab: 0,
  labCap: 0,
};

const GRID = ['10:00', '11:00', '12:00'].map((h) => ({
  start: at(`2026-12-02T${h}`),
  end: new Date(at(`2026-12-02T${h}`).getTime() + 3_600_000),
}));

const everyoneFree = () => true;

describe(judgeDay.name, () => {
  it('judges anyone by the rules that do not ask who books', () => {
    const personal = [
      accountInGoodStanding,
      accountVerified,
      oldEnough,
      youngEnough,
      inAllowedGroup,
      oriented,
      withinQuota,
      withinDailyLimit,
      withinLabCap,
    ];
    for (const rule of personal) expect(ANYONE_RULES).not.toContain(rule);
    expect(ANYONE_RULES.length + personal.length).toBe(RULES.length);
  });

  it.each<[string, Partial<DeviceFacts>, Partial<ViewerFacts>, string | null]>([
    ['a visitor, on a plain day', {}, ANONYMOUS, null],
    ['an adult, on a plain day', {}, {}, null],
    [
      'a teen, on a 16+ device',
      { device: { ...device().device, minAge: 16 } },
      { patron: { age: 14, suspendedUntil: null, group: 'teen', verified: true } },
      'AGE_RESTRICTED',
    ],
    [
      'a child, on a device for teens and adults',
      { policy: { ...POLICY, groups: ['teen', 'adult'] } },
      { patron: { age: 10, suspendedUntil: null, group: 'child', verified: true } },
      'GROUP_RESTRICTED',
    ],
    [
      'a visitor, on a device for teens and adults',
      { policy: { ...POLICY, groups: ['teen', 'adult'] } },
      ANONYMOUS,
      null,
    ],
    ['a visitor, on a 16+ device', { device: { ...device().device, minAge: 16 } }, ANONYMOUS, null],
    [
      'a patron without the orientation',
      { device: { ...device().device, requiresOrientation: true } },
      {},
      'ORIENTATION_REQUIRED',
    ],
    [
      'a certified patron',
      { device: { ...device().device, requiresOrientation: true } },
      { certifiedUntil: null },
      null,
    ],
    [
      'a patron whose certification lapsed',
      { device: { ...device().device, requiresOrientation: true } },
      { certifiedUntil: at('2026-12-01T12:00') },
      'ORIENTATION_REQUIRED',
    ],
    [
      'a suspended patron',
      {},
      {
        patron: { age: 30, suspendedUntil: at('2026-12-10T09:00'), group: 'adult', verified: true },
      },
      'ACCOUNT_SUSPENDED',
    ],
    [
      'a patron who has not confirmed their e-mail',
      {},
      { patron: { age: 30, suspendedUntil: null, group: 'adult', verified: false } },
      'ACCOUNT_UNVERIFIED',
    ],
    ['a patron at the most bookings held', {}, { activeCount: 2 }, 'QUOTA_EXCEEDED'],
    [
      'anyone, beyond the advance window',
      { now: at('2026-11-17T09:00') },
      ANONYMOUS,
      'TOO_FAR_AHEAD',
    ],
    [
      'the desk, on a retired device',
      { device: { ...device().device, status: 'retired' } },
      { ...ANONYMOUS, walkIn: true },
      'EQUIPMENT_UNAVAILABLE',
    ],
  ])('for %s', (_who, deviceFacts, viewer, code) => {
    const judged = judgeDay('2026-12-02', GRID, everyoneFree, device(deviceFacts), {
      ...ADULT,
      ...viewer,
    });
    expect(judged.bookable).toBe(code === null);
    expect(judged.reason?.code ?? null).toBe(code);
    for (const slot of judged.slots) expect(slot.reason?.code ?? null).toBe(code);
  });

  it('counts the minutes already booked in the week of each slot', () => {
    const usage = [{ start: at('2026-11-30T10:00'), end: at('2026-11-30T13:30') }];
    const judged = judgeDay('2026-12-02', GRID, everyoneFree, device(), { ...ADULT, usage });
    expect(judged.slots.map((s) => s.available)).toEqual([false, false, false]);
    expect(judged.reason?.code).toBe('QUOTA_EXCEEDED');
    const lastWeek = [{ start: at('2026-11-27T10:00'), end: at('2026-11-27T13:30') }];
    expect(
      judgeDay('2026-12-02', GRID, everyoneFree, device(), { ...ADULT, usage: lastWeek }).bookable,
    ).toBe(true);
  });

  it('marks a taken time unavailable without a reason, and a clear one inside the notice period with one', () => {
    const taken = (request: { start: Date }) => hhmm(request.start) !== '10:00';
    const judged = judgeDay(
      '2026-12-02',
      GRID,
      taken,
      device({ now: at('2026-12-02T09:30'), policy: { ...POLICY, minNoticeMinutes: 60 } }),
      ANONYMOUS,
    );
    expect(judged.slots.map((s) => [hhmm(s.start), s.available, s.reason?.code])).toEqual([
      ['10:00', false, undefined],
      ['11:00', true, undefined],
      ['12:00', true, undefined],
    ]);
    const early = judgeDay(
      '2026-12-02',
      GRID,
      everyoneFree,
      device({ now: at('2026-12-02T09:30'), policy: { ...POLICY, minNoticeMinutes: 60 } }),
      ANONYMOUS,
    );
    expect(early.slots[0].reason?.code).toBe('TOO_LATE_TO_BOOK');
  });

  it('says why a closed day has no times', () => {
    const closed = device({
      days: new Map([['2026-12-25', { date: '2026-12-25', open: [], closure: 'Christmas Day' }]]),
    });
    const judged = judgeDay('2026-12-25', [], everyoneFree, closed, ANONYMOUS);
    expect(judged).toMatchObject({ bookable: false, reason: { code: 'CLOSED' } });
  });
});

describe(shortestBooking.name, () => {
  it('takes a kit for whole local days, 23 hours on the spring-forward Sunday', () => {
    const kit = { ...POLICY, slotMinutes: 1440, minMinutes: 1440 };
    const { start, end } = shortestBooking(at('2027-03-14T00:00'), kit, 'loan', ZONE);
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(23);
  });

  it('takes a station for its shortest length in exact minutes', () => {
    const { end } = shortestBooking(
      at('2026-12-02T10:30'),
      { ...POLICY, minMinutes: 90 },
      'station',
      ZONE,
    );
    expect(hhmm(end)).toBe('12:00');
  });
});

describe(bookableFor.name, () => {
  const request = { start: at('2026-12-02T11:00'), end: at('2026-12-02T12:00') };
  const shut = new Map([['2026-12-02', { date: '2026-12-02', open: [], closure: null }]]);

  it('answers for devices judged together as it does for each alone', () => {
    const open = device();
    const sameDays = { days: open.days };
    const devices = [
      device(sameDays),
      device({ ...sameDays, device: { ...open.device, name: 'The video room' } }),
      device({ days: shut }),
      device({ ...sameDays, policy: { ...POLICY, minNoticeMinutes: 2000 } }),
      device({ ...sameDays, device: { ...open.device, status: 'out_of_service' } }),
      device({ ...sameDays, outages: [request] }),
      device({ ...sameDays, device: { ...open.device, kind: 'loan' } }),
      device(sameDays),
    ];
    for (const asked of [request, { start: at('2026-12-02T12:00'), end: at('2026-12-02T14:00') }]) {
      const together = bookableFor(
        asked,
        devices.map((d) => ({ device: d, viewer: ANONYMOUS })),
      );
      const alone = devices.map((d) => bookableFor(asked, [{ device: d, viewer: ANONYMOUS }])[0]);
      expect(together).toEqual(alone);
    }
    expect(
      bookableFor(
        request,
        devices.map((d) => ({ device: d, viewer: ANONYMOUS })),
      ),
    ).toEqual([true, true, false, false, false, false, true, true]);
  });

  it('asks each device of a signed-in patron on its own', () => {
    const open = device();
    const orientation = { ...open.device, requiresOrientation: true };
    const devices = [open, device({ days: open.days, device: orientation })];
    const uncertified = devices.map((d) => ({ device: d, viewer: ADULT }));
    expect(bookableFor(request, uncertified)).toEqual([true, false]);
    const walkIn = { ...ANONYMOUS, walkIn: true };
    const early = {
      ...open,
      now: at('2026-12-02T10:30'),
      policy: { ...POLICY, minNoticeMinutes: 60 },
    };
    expect(
      bookableFor(request, [
        { device: early, viewer: ANONYMOUS },
        { device: early, viewer: walkIn },
      ]),
    ).toEqual([false, true]);
  });
});
