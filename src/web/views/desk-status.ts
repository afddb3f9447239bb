import type { BookingStatus } from '../../bookings/booking-status';
import { isOverdueKit } from '../../bookings/overdue-kit';

export type DeskTone = 'upcoming' | 'due' | 'in-use' | 'late' | 'done';

export interface DeskStatus {
  /** What the desk reads: the state in words, never only a color. */
  words: string;
  tone: DeskTone;
}

interface AgendaBooking {
  status: BookingStatus;
  start: Date;
  end: Date;
  /** A kit borrowed by whole days: picked up and brought back at the loan desk, not checked in. */
  loanKit?: boolean;
}

/** A kit's reservation runs from midnight, so "late" counts from the end of its first day. */
function kitStatus(booking: AgendaBooking, t: number): DeskStatus | null {
  switch (booking.status) {
    case 'confirmed':
      if (t >= booking.end.getTime()) return { words: 'Never picked up', tone: 'late' };
      if (t >= booking.start.getTime())
        return { words: 'To pick up at the loan desk', tone: 'due' };
      return { words: 'Reserved, not started', tone: 'upcoming' };
    case 'checked_in':
      return isOverdueKit({ kind: 'loan' }, booking, new Date(t))
        ? { words: 'Overdue: not back yet', tone: 'late' }
        : { words: 'Out on loan', tone: 'in-use' };
    case 'completed':
      return { words: 'Returned', tone: 'done' };
    case 'pending':
    case 'cancelled':
    case 'no_show':
    case 'displaced':
      return null;
  }
}

/**
 * Where a booking on today's agenda stands at `now`, in the desk's words: due, late (not checked
 * in after the grace period, soon a no-show), in use, overdue (checked in and past its end).
 */
export function deskStatus(booking: AgendaBooking, now: Date, graceMinutes: number): DeskStatus {
  const t = now.getTime();
  const kit = booking.loanKit ? kitStatus(booking, t) : null;
  if (kit) return kit;
  switch (booking.status) {
    case 'confirmed':
      if (t >= booking.end.getTime()) return { words: 'Ended without check-in', tone: 'late' };
      if (t >= booking.start.getTime() + graceMinutes * 60_000)
        return { words: 'Late: not checked in yet', tone: 'late' };
      if (t >= booking.start.getTime())
        return { words: 'Due now: not checked in yet', tone: 'due' };
      return { words: 'Booked, not started', tone: 'upcoming' };
    case 'checked_in':
      return t >= booking.end.getTime()
        ? { words: 'Overdue: should have finished', tone: 'late' }
        : { words: 'Checked in, in use', tone: 'in-use' };
    case 'completed':
      return { words: 'Finished', tone: 'done' };
    case 'no_show':
      return { words: 'No-show: never checked in', tone: 'late' };
    case 'cancelled':
      return { words: 'Canceled', tone: 'done' };
    case 'pending':
      return { words: 'Waiting for approval', tone: 'upcoming' };
    case 'displaced':
      return { words: 'Moved off: the lab took the time', tone: 'done' };
  }
}
