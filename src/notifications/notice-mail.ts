import type { AppConfig } from '../config/app-config';
import type { BookingNotice, NoticeKind } from './booking-notice';
import { bookingCalendar, inviteMethodFor } from './ical';
import type { OutgoingMail } from './mail.service';
import { composeNotice } from './notice-message';

/**
 * The e-mail a patron gets for one booking event, with the booking attached for their calendar;
 * null when the patron has no address to send it to.
 */
export function noticeMail(
  kind: NoticeKind,
  notice: BookingNotice,
  config: AppConfig,
  now: Date,
): OutgoingMail | null {
  if (notice.patronEmail === null) return null;
  const method = inviteMethodFor(notice);
  const { subject, text } = composeNotice(kind, notice, config, now);
  return {
    to: notice.patronEmail,
    subject,
    text,
    attachments: [
      {
        filename: 'booking.ics',
        content: bookingCalendar(notice, config, now, method),
        contentType: `text/calendar; charset=utf-8; method=${method}`,
      },
    ],
  };
}

/** A notice as it comes back from its JSON column: instants are strings again. */
export function reviveNotice(stored: BookingNotice): BookingNotice {
  return { ...stored, start: new Date(stored.start), end: new Date(stored.end) };
}
