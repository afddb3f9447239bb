import type { Slot } from '../bookings/availability';
import type { Interval, Refusal } from '../bookings/rules';

/** The grid's columns are half hours of real time, from the day's first opening to its last closing. */
export const COLUMN_MINUTES = 30;

/** The start of every half-hour column between the day's first opening and its last closing. */
export function gridColumns(open: Interval[]): Date[] {
  if (open.length === 0) return [];
  const first = Math.min(...open.map((o) => o.start.getTime()));
  const last = Math.max(...open.map((o) => o.end.getTime()));
  const columns: Date[] = [];
  for (let at = first; at < last; at += COLUMN_MINUTES * 60_000) columns.push(new Date(at));
  return columns;
}

/** One cell of a device's row; `span` is how many columns it covers. */
export type GridCell<B extends Interval> =
  | { kind: 'free'; slot: Slot; span: number }
  | { kind: 'refused'; slot: Slot; reason: Refusal; span: number }
  | { kind: 'past'; span: number }
  | { kind: 'unavailable'; slot: Slot; span: number }
  | { kind: 'taken'; booking: B; span: number }
  | { kind: 'closed'; span: number };

const overlaps = (a: Interval, start: Date, end: Date) => a.start < end && start < a.end;

/**
 * A device's row of the day grid: its bookings first (a booking covers every column it touches),
 * then its slots as availability judged them, and closed columns where it has no slot. Cells that
 * say the same thing side by side (closed, past, refused for one reason) are merged, so a screen
 * reader hears "Closed" once rather than per half hour; free cells stay one per slot.
 */
export function rowCells<B extends Interval>(
  columns: Date[],
  slots: Slot[],
  bookings: B[],
  now: Date,
): GridCell<B>[] {
  const step = COLUMN_MINUTES * 60_000;
  const cells: GridCell<B>[] = [];
  const until = (from: number, end: Date, stop?: (at: Date) => boolean) => {
    let j = from + 1;
    while (j < columns.length && columns[j] < end && !stop?.(columns[j])) j++;
    return j - from;
  };
  const booked = (at: Date) => bookings.some((b) => overlaps(b, at, new Date(at.getTime() + step)));
  let i = 0;
  while (i < columns.length) {
    const at = columns[i];
    const next = new Date(at.getTime() + step);
    const booking = bookings.find((b) => overlaps(b, at, next));
    const slot = booking ? undefined : slots.find((s) => overlaps(s, at, next));
    let cell: GridCell<B>;
    if (booking) cell = { kind: 'taken', booking, span: until(i, booking.end) };
    else if (slot) {
      const span = until(i, slot.end, booked);
      if (slot.available) cell = { kind: 'free', slot, span };
      else if (slot.reason) cell = { kind: 'refused', slot, reason: slot.reason, span };
      else if (slot.start < now) cell = { kind: 'past', span };
      else cell = { kind: 'unavailable', slot, span };
    } else {
      const end = slots.find((s) => s.start >= next)?.start ?? new Date(8.64e15);
      cell = { kind: 'closed', span: until(i, end, booked) };
    }
    push(cells, cell);
    i += cell.span;
  }
  return cells;
}

/** Adds a cell, joining it to the one before when both say the same thing. */
function push<B extends Interval>(cells: GridCell<B>[], cell: GridCell<B>): void {
  const last = cells[cells.length - 1];
  const same =
    last &&
    ((last.kind === 'closed' && cell.kind === 'closed') ||
      (last.kind === 'past' && cell.kind === 'past') ||
      (last.kind === 'refused' &&
        cell.kind === 'refused' &&
        last.reason.code === cell.reason.code &&
        last.reason.message === cell.reason.message));
  if (same) last.span += cell.span;
  else cells.push(cell);
}
