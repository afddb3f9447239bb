export type NoticeKind =
  | 'confirmed'
  | 'requested'
  | 'approved'
  | 'denied'
  | 'expired'
  | 'changed'
  | 'cancelled'
  | 'reminder'
  | 'waitlist_promoted'
  | 'no_show'
  | 'overdue'
  | 'displaced'
  | 'suspended';

/**
 * What a patron's e-mail and calendar entry need to know about one booking, as plain data so
 * the bookings feature can hand it over without this folder reaching into its entities.
 */
export interface BookingNotice {
  bookingId: string;
  /** Short code, e.g. `K7M2QX`, that the patron reads out at the desk. */
  code: string;
  /** The booking's status after the change being announced: `confirmed`, `cancelled`, … */
  status: string;
  start: Date;
  end: Date;
  deviceName: string;
  deviceSlug: string;
  location: string;
  patronName: string;
  patronEmail: string | null;
  /**
   * Slugs of the device's walkthroughs; may be empty. Left out when the notice is queued, the
   * outbox looks them up for `deviceId` as it writes the e-mail.
   */
  manualSlugs?: string[];
  deviceId?: string;
  /** iCal SEQUENCE: bumped on every reschedule or cancellation so calendars take the update. */
  sequence: number;
  /** A kit borrowed by whole days, picked up at the desk on the first and due back on the last. */
  loanKit?: boolean;
  /** A paragraph particular to this message (an outage's reason and an alternative time). */
  extra?: string;
  /** Why the lab took the time away: outage, closure, hours, retired or out_of_service. */
  displacedKind?: string | null;
}

const RELEASED_STATUSES = ['cancelled', 'no_show', 'displaced'];

/** Whether the booking no longer holds its time, so calendars should drop it. */
export function isReleased(notice: BookingNotice): boolean {
  return RELEASED_STATUSES.includes(notice.status);
}
