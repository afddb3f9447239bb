import { DateTime } from 'luxon';

/** ISO 8601 with the library's UTC offset, e.g. `2026-12-01T15:00:00-05:00`. */
export function formatInstant(value: Date, zone: string): string {
  // Offsets are whole minutes, so dropping the milliseconds in UTC drops them locally too; it
  // spares luxon a second look-up of the zone's offset, the costly part of every call.
  const whole = Math.floor(value.getTime() / 1000) * 1000;
  return DateTime.fromMillis(whole, { zone }).toISO({ suppressMilliseconds: true })!;
}

export function formatNullableInstant(value: Date | null | undefined, zone: string): string | null {
  return value ? formatInstant(value, zone) : null;
}

/** An ISO 8601 date-time that names its offset (`Z` or `±hh:mm`). */
export const INSTANT_PATTERN =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function parseInstant(value: string): Date | null {
  if (!INSTANT_PATTERN.test(value)) return null;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toJSDate() : null;
}

export function isRealDate(value: string): boolean {
  return DATE_PATTERN.test(value) && DateTime.fromISO(value).isValid;
}

/** The library-local calendar date of an instant. */
export function localDate(value: Date, zone: string): string {
  return DateTime.fromJSDate(value, { zone }).toISODate()!;
}

/**
 * Whole years between a birth date and a local date, both `YYYY-MM-DD`. Someone born on 29
 * February has their birthday on 1 March in other years.
 */
export function ageOn(birthDate: string, onDate: string): number {
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return onDate.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** Every local date from `from` to `to`, inclusive. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = DateTime.fromISO(from); d.toISODate()! <= to; d = d.plus({ days: 1 }))
    dates.push(d.toISODate()!);
  return dates;
}
