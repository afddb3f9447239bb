import { DateTime } from 'luxon';
import { localDate } from '../common/time';
import type { EquipmentKind } from '../equipment/equipment.entity';
import type { BookingStatus } from './booking-status';

/**
 * The one definition of an overdue kit: a loan kit handed over (`checked_in`) and still out after
 * its due date, i.e. at or after the end of its booking. It keeps the kit until it is returned:
 * the booking engine, availability, the loan desk and the desk page all read it from here.
 */
export function isOverdueKit(
  device: { kind: EquipmentKind },
  booking: { status: BookingStatus; end: Date },
  now: Date,
): boolean {
  return device.kind === 'loan' && booking.status === 'checked_in' && booking.end <= now;
}

/** `isOverdueKit` in SQL, over a booking `b` joined to its equipment `e`, with `:now`. */
export const OVERDUE_KIT_SQL = "e.kind = 'loan' AND b.status = 'checked_in' AND b.end_at <= :now";

/**
 * A loan kit is booked by whole local days, so its booking ends at the midnight after its last
 * day. That last day is the due date: the kit should be back at the desk by closing time.
 */
export function dueDate(end: Date, zone: string): string {
  return localDate(new Date(end.getTime() - 1), zone);
}

function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days);
}

/**
 * Local days a kit is late: each day after the due date up to the day it came back (or today,
 * while it is still out), that day included. A kit back on its due date is not late.
 */
export function overdueDays(end: Date, backOrNow: Date, zone: string): number {
  return Math.max(0, daysBetween(dueDate(end, zone), localDate(backOrNow, zone)));
}

/** The late days that fall within the local dates `from` to `to`, both included. */
export function overdueDaysWithin(
  end: Date,
  backOrNow: Date,
  period: { from: string; to: string },
  zone: string,
): number {
  const firstLate = DateTime.fromISO(dueDate(end, zone)).plus({ days: 1 }).toISODate()!;
  const lastLate = localDate(backOrNow, zone);
  const first = firstLate > period.from ? firstLate : period.from;
  const last = lastLate < period.to ? lastLate : period.to;
  return last < first ? 0 : daysBetween(first, last) + 1;
}
