import { DateTime } from 'luxon';
import type { HouseStyle } from '../common/house-style';
import { addDays, localDate, remembered, startOfLocalDay } from '../common/time';
import type { EquipmentKind, EquipmentStatus } from '../equipment/equipment.entity';
import type { BookingPolicy } from '../equipment/policy';

export type RefusalCode =
  | 'OUTSIDE_OPENING_HOURS'
  | 'CLOSED'
  | 'IN_THE_PAST'
  | 'TOO_SHORT'
  | 'TOO_LONG'
  | 'NOT_ALIGNED'
  | 'TOO_FAR_AHEAD'
  | 'TOO_LATE_TO_BOOK'
  | 'QUOTA_EXCEEDED'
  | 'ORIENTATION_REQUIRED'
  | 'AGE_RESTRICTED'
  | 'TOO_OLD'
  | 'GROUP_RESTRICTED'
  | 'EQUIPMENT_UNAVAILABLE'
  | 'ACCOUNT_SUSPENDED'
  | 'DAILY_LIMIT'
  | 'ACCOUNT_UNVERIFIED';

export interface Refusal {
  code: RefusalCode;
  message: string;
}

export interface Interval {
  start: Date;
  end: Date;
}

export interface OpeningDayFacts {
  date: string;
  open: Interval[];
  closure: string | null;
}

/** Everything the rules need to judge one booking request, gathered by the service. */
export interface BookingFacts {
  request: Interval;
  now: Date;
  zone: string;
  /** How refusals write dates and times (the library's locale, in `zone`). */
  style: HouseStyle;
  policy: BookingPolicy;
  device: {
    name: string;
    kind: EquipmentKind;
    status: EquipmentStatus;
    minAge: number;
    requiresOrientation: boolean;
    /** The area the device is in, when loaded with it: its age limits apply to the device. */
    area?: { name: string; minAge: number | null; maxAge: number | null } | null;
  };
  /** `group`: the patron's group (by age unless staff or the ILS set one); `verified`: e-mail confirmed or card seen. */
  patron: { age: number; suspendedUntil: Date | null; group: string; verified: boolean };
  certified: boolean;
  /** Walkthroughs the patron must re-read: revised since their certification in a way that changes use. */
  rereads: string[];
  /** The local dates the request starts and ends on (one for a station, pick-up and return for a loan). */
  days: OpeningDayFacts[];
  /** Outages of the device that overlap the request. */
  outages: Interval[];
  /** The patron's live bookings of this device that have not ended, not counting one being moved. */
  activeCount: number;
  /** Minutes the patron already has on this device in the request's local week (Monday to Sunday). */
  minutesThisWeek: number;
  /** Minutes the patron already has on devices of this category on the request's local day. */
  minutesThisDay: number;
  /** The patron's live bookings across the whole lab that have not ended, and the lab's cap (0: none). */
  liveInLab: number;
  labCap: number;
  /**
   * Made at the desk or by the waitlist: a slot that has begun but not ended may be taken (a
   * walk-in at 3:10 gets the 3:00 slot), and the notice period does not apply.
   */
  walkIn: boolean;
}

export type Rule = (facts: BookingFacts) => Refusal | null;

/**
 * A refusal; a message that writes out times is given as a function and written when first read.
 * "What's free" asks every device and keeps only whether it may be booked: a time written in the
 * library's zone costs an `Intl` call, and most of those messages were never read.
 */
function refusal(code: RefusalCode, message: string | (() => string)): Refusal {
  if (typeof message === 'string') return { code, message };
  let written: string | undefined;
  return {
    code,
    get message() {
      return (written ??= message());
    },
  };
}

/**
 * Instants in the library's zone, kept: every rule asks for the request's local time, and
 * availability asks it of the same slot for each device and viewer (luxon's zone look-up is the
 * costly part). DateTimes are immutable, so one can serve every caller.
 */
const localTimes = remembered(20_000, (key) => {
  const cut = key.indexOf('|');
  return DateTime.fromMillis(Number(key.slice(cut + 1)), { zone: key.slice(0, cut) });
});

function local(value: Date, zone: string): DateTime {
  return localTimes(`${zone}|${value.getTime()}`);
}

/** Wall-clock minutes from start to end: a 7-day loan is 7 × 1440 even across a DST change. */
export function wallMinutes(interval: Interval, zone: string): number {
  const wall = (d: Date) => {
    const at = local(d, zone);
    return d.getTime() + at.offset * 60_000;
  };
  return Math.round((wall(interval.end) - wall(interval.start)) / 60_000);
}

/** Wall-clock minutes of the bookings that fall inside `time` (a day), clipped to it. */
export function minutesWithin(bookings: Interval[], time: Interval, zone: string): number {
  return bookings.reduce((sum, b) => {
    const start = b.start.getTime() > time.start.getTime() ? b.start : time.start;
    const end = b.end.getTime() < time.end.getTime() ? b.end : time.end;
    return end > start ? sum + wallMinutes({ start, end }, zone) : sum;
  }, 0);
}

function duration(minutes: number): string {
  if (minutes % 1440 === 0) return minutes === 1440 ? '1 day' : `${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? '1 hour' : `${minutes / 60} hours`;
  return `${minutes} minutes`;
}

export const equipmentAvailable: Rule = ({ device, outages, style, now }) => {
  if (device.status === 'retired')
    return refusal(
      'EQUIPMENT_UNAVAILABLE',
      `${device.name} has been retired and can no longer be booked.`,
    );
  if (device.status === 'out_of_service')
    return refusal('EQUIPMENT_UNAVAILABLE', `${device.name} is out of service for now.`);
  const outage = outages[0];
  if (outage) {
    return refusal(
      'EQUIPMENT_UNAVAILABLE',
      () => `${device.name} is out of service ${style.range(outage.start, outage.end, now)}.`,
    );
  }
  return null;
};

export const accountInGoodStanding: Rule = ({ patron, now, style }) =>
  patron.suspendedUntil && patron.suspendedUntil > now
    ? refusal(
        'ACCOUNT_SUSPENDED',
        () =>
          `Booking is paused on this card until ${style.dateTime(patron.suspendedUntil!, now)}. Please ask at the desk.`,
      )
    : null;

export const accountVerified: Rule = ({ patron }) =>
  patron.verified
    ? null
    : refusal(
        'ACCOUNT_UNVERIFIED',
        'Confirm your e-mail address with the link we sent you before your first booking, or show your card at the desk.',
      );

export const oldEnough: Rule = ({ patron, device }) => {
  const minAge = Math.max(device.minAge, device.area?.minAge ?? 0);
  return patron.age < minAge
    ? refusal('AGE_RESTRICTED', `${device.name} is for ages ${minAge} and over.`)
    : null;
};

/** The oldest age the device's policy or its area allows; undefined when neither sets one. */
export function maxAgeOf(
  device: BookingFacts['device'],
  policy: BookingPolicy,
): number | undefined {
  const limits = [policy.maxAge, device.area?.maxAge ?? undefined].filter(
    (a): a is number => typeof a === 'number',
  );
  return limits.length ? Math.min(...limits) : undefined;
}

export const youngEnough: Rule = ({ patron, device, policy }) => {
  const maxAge = maxAgeOf(device, policy);
  if (maxAge === undefined || patron.age <= maxAge) return null;
  const area = device.area;
  const range =
    area?.maxAge === maxAge
      ? ` (the ${area.name} is for ages ${area.minAge ?? 0} to ${maxAge})`
      : '';
  return refusal(
    'TOO_OLD',
    `${device.name} is for patrons aged ${maxAge} and under${range}. Please ask at the desk for something else to book.`,
  );
};

/** "the teen or adult groups". */
function groupList(groups: string[]): string {
  const names = groups.map((g) => `“${g}”`);
  const list =
    names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
  return `the ${list} group${names.length > 1 ? 's' : ''}`;
}

export const inAllowedGroup: Rule = ({ patron, device, policy }) =>
  policy.groups?.length && !policy.groups.includes(patron.group)
    ? refusal(
        'GROUP_RESTRICTED',
        `${device.name} can be booked by patrons in ${groupList(policy.groups)} only; your card is in the “${patron.group}” group. Ask at the desk if that is wrong.`,
      )
    : null;

export const oriented: Rule = ({ device, certified, rereads }) => {
  if (!device.requiresOrientation) return null;
  if (!certified) {
    return refusal(
      'ORIENTATION_REQUIRED',
      `${device.name} needs an orientation first: finish its walkthrough or ask the desk for a short demo.`,
    );
  }
  return rereads.length
    ? refusal(
        'ORIENTATION_REQUIRED',
        `How to use ${device.name} has changed since your orientation. Please read the updated walkthrough (${rereads.join(', ')}) before booking.`,
      )
    : null;
};

export const notInThePast: Rule = ({ request, now, walkIn }) => {
  if (request.start.getTime() >= now.getTime()) return null;
  if (walkIn && request.end.getTime() > now.getTime()) return null;
  return refusal('IN_THE_PAST', 'That time has already passed. Please pick a time from now on.');
};

export const alignedToSlots: Rule = ({ request, policy, zone, style }) => {
  const start = local(request.start, zone);
  const minuteOfDay = start.hour * 60 + start.minute;
  const onGrid =
    start.second === 0 && start.millisecond === 0 && minuteOfDay % policy.slotMinutes === 0;
  if (onGrid && wallMinutes(request, zone) % policy.slotMinutes === 0) return null;
  const grid = policy.slotMinutes === 1440 ? 'whole days' : `${duration(policy.slotMinutes)} steps`;
  return refusal(
    'NOT_ALIGNED',
    () =>
      `Bookings start and end on ${grid} (for example ${style.time(start.startOf('hour').toJSDate())}).`,
  );
};

export const longEnough: Rule = ({ request, policy, zone }) =>
  wallMinutes(request, zone) < policy.minMinutes
    ? refusal('TOO_SHORT', `The shortest booking is ${duration(policy.minMinutes)}.`)
    : null;

export const shortEnough: Rule = ({ request, policy, zone }) =>
  wallMinutes(request, zone) > policy.maxMinutes
    ? refusal('TOO_LONG', `The longest booking is ${duration(policy.maxMinutes)}.`)
    : null;

export const notOnAClosure: Rule = ({ days, style, now }) => {
  const closed = days.find((d) => d.closure);
  return closed
    ? refusal(
        'CLOSED',
        () => `The lab is closed on ${style.date(closed.date, now)} (${closed.closure}).`,
      )
    : null;
};

export const withinOpeningHours: Rule = ({ request, days, device, style, now }) => {
  if (device.kind === 'loan') {
    const shut = days.find((d) => d.open.length === 0);
    return shut
      ? refusal(
          'OUTSIDE_OPENING_HOURS',
          () =>
            `The lab is not open on ${style.date(shut.date, now)} to hand over or take back a kit.`,
        )
      : null;
  }
  const open = days[0]?.open ?? [];
  const start = request.start.getTime();
  const end = request.end.getTime();
  if (open.some((o) => o.start.getTime() <= start && end <= o.end.getTime())) return null;
  if (open.length === 0) return refusal('OUTSIDE_OPENING_HOURS', 'The lab is not open that day.');
  return refusal(
    'OUTSIDE_OPENING_HOURS',
    () =>
      `The lab is open ${open.map((o) => style.timeRange(o.start, o.end)).join(' and ')} that day.`,
  );
};

export const notTooFarAhead: Rule = ({ request, now, policy, zone }) => {
  const today = localDate(now, zone);
  const last = startOfLocalDay(addDays(today, policy.maxAdvanceDays + 1), zone);
  return request.start.getTime() >= last.getTime()
    ? refusal(
        'TOO_FAR_AHEAD',
        `${policy.maxAdvanceDays === 0 ? 'Only today' : `Only the next ${policy.maxAdvanceDays} days`} can be booked.`,
      )
    : null;
};

export const enoughNotice: Rule = ({ request, now, policy, walkIn }) => {
  if (walkIn || policy.minNoticeMinutes === 0) return null;
  return request.start.getTime() - now.getTime() < policy.minNoticeMinutes * 60_000
    ? refusal(
        'TOO_LATE_TO_BOOK',
        `Please book at least ${duration(policy.minNoticeMinutes)} ahead, or ask at the desk.`,
      )
    : null;
};

export const withinQuota: Rule = ({
  request,
  policy,
  activeCount,
  minutesThisWeek,
  device,
  zone,
}) => {
  if (activeCount >= policy.maxActivePerPatron) {
    return refusal(
      'QUOTA_EXCEEDED',
      `You already hold ${activeCount} upcoming booking${activeCount === 1 ? '' : 's'} of ${device.name}, the most allowed at once.`,
    );
  }
  if (minutesThisWeek + wallMinutes(request, zone) > policy.maxMinutesPerWeek) {
    return refusal(
      'QUOTA_EXCEEDED',
      `That would take you past ${duration(policy.maxMinutesPerWeek)} of ${device.name} this week.`,
    );
  }
  return null;
};

export const withinDailyLimit: Rule = ({ request, policy, minutesThisDay, zone }) => {
  const limit = policy.maxMinutesPerDay;
  if (limit === undefined || minutesThisDay + wallMinutes(request, zone) <= limit) return null;
  const left = Math.max(0, limit - minutesThisDay);
  return refusal(
    'DAILY_LIMIT',
    `Each patron may book up to ${duration(limit)} of this kind of equipment a day; ` +
      (left ? `you have ${duration(left)} left that day.` : 'you have none left that day.'),
  );
};

export const withinLabCap: Rule = ({ liveInLab, labCap }) =>
  labCap > 0 && liveInLab >= labCap
    ? refusal(
        'QUOTA_EXCEEDED',
        `You already hold ${liveInLab} upcoming booking${liveInLab === 1 ? '' : 's'} in the lab, the most allowed at once. Cancel one, or ask at the desk.`,
      )
    : null;

/**
 * Rules staff may set aside for a booking they make, giving a reason the audit trail keeps. The
 * device being usable, the time being open, aligned and not past, and (in the engine) no overlap
 * are never set aside.
 */
export const OVERRIDABLE_RULES: Rule[] = [];

/** In the order a patron should hear about them: the device, then the person, then the time. */
export const RULES: Rule[] = [
  equipmentAvailable,
  accountInGoodStanding,
  accountVerified,
  oldEnough,
  youngEnough,
  inAllowedGroup,
  oriented,
  notInThePast,
  alignedToSlots,
  longEnough,
  shortEnough,
  notOnAClosure,
  withinOpeningHours,
  notTooFarAhead,
  enoughNotice,
  withinQuota,
  withinDailyLimit,
  withinLabCap,
];

OVERRIDABLE_RULES.push(
  accountInGoodStanding,
  oldEnough,
  youngEnough,
  oriented,
  longEnough,
  shortEnough,
  notTooFarAhead,
  enoughNotice,
  withinQuota,
  withinDailyLimit,
  withinLabCap,
);

export function firstRefusal(facts: BookingFacts, rules: Rule[] = RULES): Refusal | null {
  for (const rule of rules) {
    const refused = rule(facts);
    if (refused) return refused;
  }
  return null;
}

/** The local day (midnight to midnight) an instant falls on. */
export function localDay(value: Date, zone: string): Interval {
  const date = local(value, zone).toISODate()!;
  return { start: startOfLocalDay(date, zone), end: startOfLocalDay(addDays(date, 1), zone) };
}

/** The local ISO week (Monday 00:00 to the next Monday 00:00) that contains an instant. */
export function localWeek(value: Date, zone: string): Interval {
  const at = local(value, zone);
  const monday = addDays(at.toISODate()!, 1 - at.weekday);
  return { start: startOfLocalDay(monday, zone), end: startOfLocalDay(addDays(monday, 7), zone) };
}
