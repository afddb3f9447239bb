import { type HouseStyle, houseStyle } from '../common/house-style';
import type { AppConfig } from '../config/app-config';
import type { BookingNotice, NoticeKind } from './booking-notice';
import { oneLineNames } from './ical';
import { LAB_NAME, equipmentUrl, myBookingsUrl, walkthroughUrls } from './lab-links';

/** How long after the start a patron has to check in before the time is released. */

export interface NoticeMessage {
  subject: string;
  text: string;
}

interface Wording {
  subject: (device: string, when: string, notice: BookingNotice) => string;
  lead: (device: string, graceMinutes: number, loanKit: boolean) => string;
  /** Whether the booking still stands, so the patron needs the details for the day. */
  stands: boolean;
  /** Details particular to this kind of message, in place of the usual ones. */
  details?: (notice: BookingNotice, config: AppConfig, when: string) => string[];
}

const WORDING: Record<NoticeKind, Wording> = {
  confirmed: {
    subject: (device, when) => `Your booking is confirmed: ${device}, ${when}`,
    lead: (device) => `Your booking of the ${device} is confirmed.`,
    stands: true,
  },
  requested: {
    subject: (device, when) => `Booking request received: ${device}, ${when}`,
    lead: (device) =>
      `Thank you: your request to book the ${device} has reached the lab. Staff approve ` +
      'bookings of this equipment, and the time is held for you while they decide. We will ' +
      'e-mail you as soon as they have.',
    stands: false,
    details: (notice, config, when) => [
      [`When: ${when}`, `Where: ${notice.location}`, `Booking code: ${notice.code}`].join('\n'),
      `No longer need it? Please cancel at ${myBookingsUrl(config)} so someone else can ask.`,
    ],
  },
  approved: {
    subject: (device, when) => `Your booking is approved: ${device}, ${when}`,
    lead: (device) => `Good news: the lab has approved your booking of the ${device}.`,
    stands: true,
  },
  denied: {
    subject: (device, when) => `Your booking request was declined: ${device}, ${when}`,
    lead: (device) =>
      `We are sorry: the lab could not approve your request to book the ${device}, and the ` +
      'time has been released.',
    stands: false,
  },
  expired: {
    subject: (device, when) => `Your booking request lapsed: ${device}, ${when}`,
    lead: (device) =>
      `We are sorry: nobody at the lab could decide your request to book the ${device} in ` +
      'time, so the time has been released. This is not counted against you in any way.',
    stands: false,
  },
  changed: {
    subject: (device, when) => `Your booking has changed: ${device}, now ${when}`,
    lead: (device) => `Your booking of the ${device} has changed. Here are the new details.`,
    stands: true,
  },
  reminder: {
    subject: (device, when) => `Reminder: ${device}, ${when}`,
    lead: (device) => `A reminder of your booking of the ${device}.`,
    stands: true,
  },
  waitlist_promoted: {
    subject: (device, when) => `A place opened up: ${device} is yours, ${when}`,
    lead: (device) =>
      `Good news: a place opened up and your booking of the ${device} is now confirmed.`,
    stands: true,
  },
  cancelled: {
    subject: (device, when) => `Your booking is canceled: ${device}, ${when}`,
    lead: (device) => `Your booking of the ${device} is canceled, and the time is free for others.`,
    stands: false,
  },
  overdue: {
    subject: (device) => `Please bring back the ${device}: it is overdue`,
    lead: (device) =>
      `The ${device} you borrowed is overdue and has not come back to the lab yet. ` +
      'Other patrons have booked it, so please bring it back to the desk as soon as you can.',
    stands: true,
    details: overdueDetails,
  },
  displaced: {
    subject: (device, when, notice) =>
      `${displacedBecause(device, notice)}: your booking ${when} is off`,
    lead: (device) =>
      `We are sorry: the lab has had to take back the time of your booking of the ${device}. ` +
      'This is not counted against you in any way.',
    stands: false,
  },
  suspended: {
    subject: () => 'Booking is paused on your card',
    lead: () =>
      'Several of your bookings were not used and not canceled, so booking is paused on ' +
      'your card for a while. Bookings you already hold still stand.',
    stands: false,
    details: (notice, config) => [
      `If something went wrong, the desk can lift the pause. Your bookings: ${myBookingsUrl(config)}`,
    ],
  },
  no_show: {
    subject: (device, when) => `We released your booking: ${device}, ${when}`,
    lead: (device, graceMinutes, loanKit) =>
      loanKit
        ? `The ${device} was not picked up on the first day of your booking, so the kit ` +
          'was released to others.'
        : `You were not checked in within ${graceMinutes} minutes of the start of your ` +
          `booking of the ${device}, so the time was released to others.`,
    stands: false,
  },
};

/** The subject line alone, for the outbox's list before the message is written out. */
export function noticeSubject(
  kind: NoticeKind,
  notice: BookingNotice,
  config: AppConfig,
  now?: Date,
): string {
  return WORDING[kind].subject(notice.deviceName, whenOf(notice, config, now), notice);
}

/**
 * A kit's days, or a station's time, as the patron reads them; with the year when it is not
 * the year the message goes out.
 */
function whenOf(notice: BookingNotice, config: AppConfig, now?: Date): string {
  const style = houseStyle(config);
  return notice.loanKit
    ? style.kitDays(notice.start, notice.end, now)
    : style.range(notice.start, notice.end, now);
}

/** The e-mail a patron gets for one booking event, in plain words and library-local time. */
export function composeNotice(
  kind: NoticeKind,
  given: BookingNotice,
  config: AppConfig,
  now?: Date,
): NoticeMessage {
  // The subject is a mail header: a line break in a name would end it.
  const notice = oneLineNames(given);
  const wording = WORDING[kind];
  const when = whenOf(notice, config, now);
  const details = wording.details
    ? wording.details(notice, config, when)
    : wording.stands
      ? standingDetails(notice, config, when, now)
      : releasedDetails(notice, config, when);
  const text = [
    `Hello ${notice.patronName},`,
    wording.lead(notice.deviceName, config.noShowGraceMinutes, notice.loanKit ?? false),
    ...(notice.extra ? [notice.extra] : []),
    ...details,
    LAB_NAME,
  ].join('\n\n');
  return { subject: wording.subject(notice.deviceName, when, notice), text: `${text}\n` };
}

/** The start of a displaced booking's subject line, saying what the lab did. */
function displacedBecause(device: string, notice: BookingNotice): string {
  if (notice.displacedKind === 'closure') return 'The lab is closed';
  if (notice.displacedKind === 'hours') return 'The lab’s opening hours have changed';
  if (notice.displacedKind === 'retired') return `${device} has been retired`;
  return `${device} is out of service`;
}

function standingDetails(
  notice: BookingNotice,
  config: AppConfig,
  when: string,
  now?: Date,
): string[] {
  return [
    [
      `When: ${when}`,
      `Where: ${notice.location}`,
      `Booking code: ${notice.code} (read it out at the desk when you check in)`,
    ].join('\n'),
    notice.loanKit
      ? pickUpAndReturn(notice, houseStyle(config), now)
      : `Please check in at the desk within ${config.noShowGraceMinutes} minutes of the start. ` +
        'If you are later than that, the time is released to others.',
    [
      `Before you come, see how to use the ${notice.deviceName}:`,
      ...walkthroughUrls(notice, config).map((url) => `  ${url}`),
    ].join('\n'),
    `Can't make it? Please cancel at ${myBookingsUrl(config)} so someone else can use the time.`,
  ];
}

function overdueDetails(notice: BookingNotice, config: AppConfig, when: string): string[] {
  return [
    [`Borrowed: ${when}`, `Return to: ${notice.location}`, `Booking code: ${notice.code}`].join(
      '\n',
    ),
    'Please bring every part of the kit, and tell the desk if anything is missing or broken.',
    `Opening hours and your bookings: ${myBookingsUrl(config)}`,
  ];
}

/** A kit's booking runs from the midnight of its first day to the midnight after its last. */
function pickUpAndReturn(notice: BookingNotice, style: HouseStyle, now?: Date): string {
  return (
    `Please pick the kit up at the desk on ${style.date(notice.start, now)} and bring it back by ` +
    `closing time on ${style.kitLastDay(notice.end, now)}. If it is not picked up on the first ` +
    'day, it is released to others.'
  );
}

function releasedDetails(notice: BookingNotice, config: AppConfig, when: string): string[] {
  return [
    [`Was: ${when}`, `Where: ${notice.location}`, `Booking code: ${notice.code}`].join('\n'),
    `To book again, visit ${equipmentUrl(notice, config)} or ask at the desk.`,
  ];
}
