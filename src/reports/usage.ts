import type { Interval } from '../bookings/rules';
import { overdueDaysWithin } from '../bookings/overdue-kit';

/** Bookings of one device or patron in one status: how many, and their time inside the period. */
export interface UsageTotal {
  key: string;
  status: string;
  count: number;
  ms: number;
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

/** The statuses of bookings that held their time: booked, in use or used. */
export const HELD_STATUSES = ['confirmed', 'checked_in', 'completed'] as const;
const HELD = new Set<string>(HELD_STATUSES);

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/**
 * One device's (or a category's) figures for the period from its bookings' totals: bookings that
 * held their time (booked, used or in use), hours of them inside the period, and how they compare
 * with the hours open. `uniquePatrons` is counted by the database, across devices.
 */
export function usageFigures(
  totals: UsageTotal[],
  uniquePatrons: number,
  hoursOpen: number,
): UsageFigures {
  const held = totals.filter((t) => HELD.has(t.status));
  const hoursBooked = held.reduce((sum, t) => sum + t.ms, 0) / 3_600_000;
  const count = (status: string) =>
    totals.filter((t) => t.status === status).reduce((sum, t) => sum + t.count, 0);
  return {
    bookings: held.reduce((sum, t) => sum + t.count, 0),
    hoursBooked: round(hoursBooked, 2),
    hoursOpen: round(hoursOpen, 2),
    utilisation: hoursOpen > 0 ? round((hoursBooked / hoursOpen) * 100, 1) : 0,
    noShows: count('no_show'),
    cancellations: count('cancelled'),
    uniquePatrons,
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

/** The period's bookings by the group each patron is in, from each patron's totals. */
export function groupFigures(
  perPatron: UsageTotal[],
  groupOf: (patronId: string) => string,
): GroupUsage[] {
  const byGroup = new Map<string, UsageTotal[]>();
  for (const t of perPatron) {
    const group = groupOf(t.key);
    byGroup.set(group, [...(byGroup.get(group) ?? []), t]);
  }
  return [...byGroup]
    .map(([group, totals]) => {
      const patrons = new Set(totals.filter((t) => HELD.has(t.status)).map((t) => t.key));
      const f = usageFigures(totals, patrons.size, 0);
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
