import { DateTime } from 'luxon';
import { remembered } from '../common/time';
import type { EquipmentKind } from '../equipment/equipment.entity';
import type { Interval, Refusal } from './rules';

export interface Slot extends Interval {
  available: boolean;
  /** Why the viewer may not book a slot that is not taken. */
  reason?: Refusal;
}

/** A live booking as availability sees it: the time it keeps the device from others. */
export interface Blocked {
  start: Date;
  blockedUntil: Date;
}

/**
 * Whether two times share an instant. Instants are compared as numbers: `<` on two `Date`s asks
 * each for its primitive value, some 20 times slower, and availability makes thousands of these
 * comparisons a request.
 */
export function overlaps(a: Interval, b: Interval): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/**
 * The day's booking grid: slots of `slotMinutes` inside each opening interval, starting on the
 * grid of local wall-clock minutes (so 10:00, 10:30 … whatever the UTC offset). A loan kit has one
 * slot a day, from local midnight to the next (23 or 25 hours on DST days).
 */
export function dayGrid(
  date: string,
  open: Interval[],
  slotMinutes: number,
  kind: EquipmentKind,
  zone: string,
): readonly Interval[] {
  const hours = open.map((o) => `${o.start.getTime()}~${o.end.getTime()}`).join(',');
  return keptGrids(`${date}|${hours}|${slotMinutes}|${kind}|${zone}`);
}

/** Grids laid out, by day, hours, slot length, kind and zone: every viewer of a day asks again. */
const keptGrids = remembered(5_000, (key): readonly Interval[] => {
  const [date, hours, slotMinutes, kind, zone] = key.split('|');
  const open = hours
    ? hours.split(',').map((pair) => {
        const [start, end] = pair.split('~').map(Number);
        return { start: new Date(start), end: new Date(end) };
      })
    : [];
  const grid = layOutGrid(date, open, Number(slotMinutes), kind as EquipmentKind, zone);
  return Object.freeze(grid.map((slot) => Object.freeze(slot)));
});

function layOutGrid(
  date: string,
  open: Interval[],
  slotMinutes: number,
  kind: EquipmentKind,
  zone: string,
): Interval[] {
  if (kind === 'loan') {
    if (open.length === 0) return [];
    const midnight = DateTime.fromISO(date, { zone }).startOf('day');
    return [{ start: midnight.toJSDate(), end: midnight.plus({ days: 1 }).toJSDate() }];
  }
  const slots: Interval[] = [];
  for (const interval of open) {
    const opens = DateTime.fromJSDate(interval.start, { zone });
    const minuteOfDay = opens.hour * 60 + opens.minute;
    const offGrid = minuteOfDay % slotMinutes;
    // Minutes are exact time in luxon too; plain arithmetic avoids a zone look-up per slot.
    const first = opens.startOf('minute').toMillis();
    const step = slotMinutes * 60_000;
    for (
      let at = first + (offGrid === 0 ? 0 : slotMinutes - offGrid) * 60_000;
      at + step <= interval.end.getTime();
      at += step
    ) {
      slots.push({ start: new Date(at), end: new Date(at + step) });
    }
  }
  return slots;
}

/**
 * Whether a booking of just this slot would be free: not begun, clear of every live booking with
 * the buffers on both sides (the slot's own buffer after it, the other booking's after that one),
 * and clear of outages.
 */
export function slotFree(
  slot: Interval,
  bufferMinutes: number,
  blocked: Blocked[],
  outages: Interval[],
  now: Date,
): boolean {
  if (slot.start.getTime() < now.getTime()) return false;
  const keeps: Interval = {
    start: slot.start,
    end: new Date(slot.end.getTime() + bufferMinutes * 60_000),
  };
  if (blocked.some((b) => overlaps(keeps, { start: b.start, end: b.blockedUntil }))) return false;
  return !outages.some((o) => overlaps(slot, o));
}
