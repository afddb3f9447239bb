import type { Interval } from '../bookings/rules';
import { overdueDaysWithin } from '../bookings/overdue-kit';

export interface UsageBooking {
  equipmentId: string;
  patronId: string;
  start: Date;
  end: Date;
  status: string;
}

export interface UsageFigures {
  bookings: number;
  hoursBooked: number;
  hoursOpen: number;
  /** Hours booked over hours open, as a percentage with one decimal. */
  utilisation: number;
  noShows: number;
  cancellations: number;
  uniquePatrons: number;
}

const HELD = new Set(['confirmed', 'checked_in', 'completed']);

function hoursWithin(a: Interval, b: Interval): number {
  const overlap =
    Math.min(a.end.getTime(), b.end.getTime()) - Math.max(a.start.getTime(), b.start.getTime());
  return Math.max(0, overlap) / 3_600_000;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * One device's (or a category's) figures for the period: bookings that held their time (booked,
 * used or in use), hours of them inside the period, and how they compare with the hours open.
 */
export function usageFigures(
  bookings: UsageBooking[],
  period: Interval,
  hoursOpen: number,
): UsageFigures {
  const held = bookings.filter((b) => HELD.has(b.status));
  const hoursBooked = held.reduce((sum, b) => sum + hoursWithin(b, period), 0);
  return {
    bookings: held.length,
    hoursBooked: round(hoursBooked, 2),
    hoursOpen: round(hoursOpen, 2),
    utilisation: hoursOpen > 0 ? round((hoursBooked / hoursOpen) * 100, 1) : 0,
    noShows: bookings.filter((b) => b.status === 'no_show').length,
    cancellations: bookings.filter((b) => b.status === 'cancelled').length,
    uniquePatrons: new Set(held.map((b) => b.patronId)).size,
  };
}

/** A loan kit handed over: when it went out, was due and came back (null while still out). */
export interface UsageLoan {
  equipmentId: string;
  checkedOutAt: Date;
  end: Date;
  returnedAt: Date | null;
}

export interface LoanFigures {
  /** Kits handed over in the period. */
  loans: number;
  /** Local days in the period that kits spent out after their due date. */
  overdueDays: number;
}

/**
 * Loans handed over within the period, and the days late that fall within it, whenever the
 * loan began: a kit still out counts up to today.
 */
export function loanFigures(
  loans: UsageLoan[],
  period: Interval & { from: string; to: string },
  now: Date,
  zone: string,
): LoanFigures {
  return {
    loans: loans.filter((l) => l.checkedOutAt >= period.start && l.checkedOutAt < period.end)
      .length,
    overdueDays: loans.reduce(
      (sum, l) => sum + overdueDaysWithin(l.end, l.returnedAt ?? now, period, zone),
      0,
    ),
  };
}

/** Bookings made by one patron group in the period. */
export interface GroupUsage {
  group: string;
  bookings: number;
  hoursBooked: number;
  noShows: number;
  cancellations: number;
  uniquePatrons: number;
}

/** The period's bookings by the group each patron is in, largest group first. */
export function groupFigures(
  bookings: UsageBooking[],
  groupOf: (patronId: string) => string,
  period: Interval,
): GroupUsage[] {
  const byGroup = new Map<string, UsageBooking[]>();
  for (const b of bookings) {
    const group = groupOf(b.patronId);
    byGroup.set(group, [...(byGroup.get(group) ?? []), b]);
  }
  return [...byGroup]
    .map(([group, rows]) => {
      const f = usageFigures(rows, period, 0);
      return {
        group,
        bookings: f.bookings,
        hoursBooked: f.hoursBooked,
        noShows: f.noShows,
        cancellations: f.cancellations,
        uniquePatrons: f.uniquePatrons,
      };
    })
    .sort((a, b) => b.bookings - a.bookings || a.group.localeCompare(b.group));
}
