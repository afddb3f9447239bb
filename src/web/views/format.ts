import { DateTime } from 'luxon';

/** `Tue 1 Dec` */
export function dayLabel(date: string | Date, zone: string): string {
  const value =
    typeof date === 'string'
      ? DateTime.fromISO(date, { zone })
      : DateTime.fromJSDate(date, { zone });
  return value.toFormat('ccc d LLL');
}

/** `Tuesday 1 December 2026` */
export function longDayLabel(date: string, zone: string): string {
  return DateTime.fromISO(date, { zone }).toFormat('cccc d LLLL yyyy');
}

/** `10:00` in the library's zone. */
export function timeLabel(value: Date | string, zone: string): string {
  const time = typeof value === 'string' ? DateTime.fromISO(value) : DateTime.fromJSDate(value);
  return time.setZone(zone).toFormat('HH:mm');
}

/** `Tue 1 Dec, 10:00–11:00`, or across days `Tue 1 Dec 10:00 – Fri 4 Dec 17:00`. */
export function spanLabel(start: Date, end: Date, zone: string): string {
  const from = DateTime.fromJSDate(start, { zone });
  const to = DateTime.fromJSDate(end, { zone });
  if (from.hasSame(to, 'day'))
    return `${from.toFormat('ccc d LLL, HH:mm')}–${to.toFormat('HH:mm')}`;
  return `${from.toFormat('ccc d LLL HH:mm')} – ${to.toFormat('ccc d LLL HH:mm')}`;
}

/** `1 h 30 min` */
export function minutesLabel(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (!hours) return `${rest} min`;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

export function plusDays(date: string, days: number, zone: string): string {
  return DateTime.fromISO(date, { zone }).plus({ days }).toISODate()!;
}
