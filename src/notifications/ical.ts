import ical, {
  ICalAttendeeRole,
  ICalAttendeeStatus,
  type ICalCalendar,
  ICalCalendarMethod,
  type ICalEvent,
  ICalEventStatus,
} from 'ical-generator';
import { DateTime } from 'luxon';
import { houseStyle } from '../common/house-style';
import { oneLine } from '../common/text';
import type { AppConfig } from '../config/app-config';
import { type BookingNotice, isReleased } from './booking-notice';
import {
  LAB_NAME,
  equipmentUrl,
  labHost,
  labMailbox,
  myBookingsUrl,
  walkthroughUrls,
} from './lab-links';
import { vtimezone } from './vtimezone';

/** The iTIP methods a booking e-mail carries: a new or changed booking, or a withdrawn one. */
export type InviteMethod = 'REQUEST' | 'CANCEL';

const FEED_REFRESH_SECONDS = 60 * 60;

/** The method a booking's e-mail attachment needs, following the booking's status. */
export function inviteMethodFor(notice: BookingNotice): InviteMethod {
  return isReleased(notice) ? 'CANCEL' : 'REQUEST';
}

/** Adds the booking as one VEVENT, in the library's time zone. */
export function bookingEvent(
  calendar: ICalCalendar,
  given: BookingNotice,
  config: AppConfig,
  stamp: Date,
): ICalEvent {
  const notice = oneLineNames(given);
  const zone = config.timezone;
  return calendar.createEvent({
    // Stable across reschedules and cancellation, so calendar apps update the entry they hold.
    id: `${notice.bookingId}@${labHost(config)}`,
    sequence: notice.sequence,
    stamp,
    start: DateTime.fromJSDate(notice.start, { zone }),
    end: DateTime.fromJSDate(notice.end, { zone }),
    timezone: zone,
    // A kit is borrowed by whole local days: an all-day event whose exclusive DTEND is the day
    // after the due date, never a midnight-to-midnight appointment.
    allDay: notice.loanKit ?? false,
    summary: `${notice.deviceName} — ${LAB_NAME}`,
    location: notice.location,
    description: eventDescription(notice, config, stamp),
    url: myBookingsUrl(config),
    status: isReleased(notice)
      ? ICalEventStatus.CANCELLED
      : notice.status === 'pending'
        ? ICalEventStatus.TENTATIVE
        : ICalEventStatus.CONFIRMED,
  });
}

/** A calendar holding one booking, for the e-mail attachment. */
export function bookingCalendar(
  notice: BookingNotice,
  config: AppConfig,
  stamp: Date,
  method: InviteMethod = inviteMethodFor(notice),
): string {
  const calendar = newCalendar([notice]);
  calendar.method(method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST);
  const event = bookingEvent(calendar, notice, config, stamp);
  // iTIP (RFC 5546) requires an organizer and the attendee on REQUEST and CANCEL messages.
  event.organizer({ name: LAB_NAME, email: labMailbox(config) });
  if (notice.patronEmail !== null) {
    event.createAttendee({
      name: oneLine(notice.patronName),
      email: notice.patronEmail,
      role: ICalAttendeeRole.REQ,
      status: ICalAttendeeStatus.ACCEPTED,
      rsvp: false,
    });
  }
  return serialize(calendar);
}

/** A subscribable calendar of many bookings that calendar apps re-read every hour. */
export function feedCalendar(
  notices: BookingNotice[],
  config: AppConfig,
  name: string,
  stamp: Date,
): string {
  const calendar = newCalendar(notices);
  calendar.method(ICalCalendarMethod.PUBLISH);
  calendar.name(oneLine(name));
  calendar.ttl(FEED_REFRESH_SECONDS);
  calendar.x('X-WR-TIMEZONE', config.timezone);
  for (const notice of notices) bookingEvent(calendar, notice, config, stamp);
  return serialize(calendar);
}

/**
 * Names as one line each: a line break in a name (from before names were checked) would end the
 * property it is in and let the rest pass as properties of its own.
 */
export function oneLineNames(notice: BookingNotice): BookingNotice {
  return {
    ...notice,
    deviceName: oneLine(notice.deviceName),
    location: oneLine(notice.location),
    patronName: oneLine(notice.patronName),
  };
}

/** RFC 5545 ends every content line with CRLF, the last one too; the library leaves it off. */
function serialize(calendar: ICalCalendar): string {
  return `${calendar.toString()}\r\n`;
}

function newCalendar(notices: BookingNotice[]): ICalCalendar {
  const calendar = ical({ prodId: { company: LAB_NAME, product: 'Bookings', language: 'EN' } });
  if (notices.length === 0) return calendar;
  const from = notices.reduce((first, n) => (n.start < first ? n.start : first), notices[0].start);
  const to = notices.reduce((last, n) => (n.end > last ? n.end : last), notices[0].end);
  // The zone goes on each event, not on the calendar: a calendar-wide zone makes the library
  // write DTSTAMP in local time, which RFC 5545 forbids
  // (https://github.com/sebbo2002/ical-generator/issues/604).
  calendar.timezone({ name: null, generator: (zone) => vtimezone(zone, from, to) });
  return calendar;
}

/** The event's text; its time in the house style, as the e-mails write it. */
function eventDescription(notice: BookingNotice, config: AppConfig, stamp: Date): string {
  const style = houseStyle(config);
  const when = notice.loanKit
    ? style.kitDays(notice.start, notice.end, stamp)
    : style.range(notice.start, notice.end, stamp);
  if (isReleased(notice)) {
    return [
      `This booking (code ${notice.code}, ${when}) is canceled and its time released.`,
      `To book again: ${equipmentUrl(notice, config)}`,
    ].join('\n');
  }
  return [
    `When: ${when}`,
    `Booking code: ${notice.code} (read it out at the desk when you check in).`,
    `To cancel: ${myBookingsUrl(config)}`,
    `How to use the ${notice.deviceName}:`,
    ...walkthroughUrls(notice, config),
  ].join('\n');
}
