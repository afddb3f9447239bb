import { DateTime } from 'luxon';

/**
 * A pure function of a string, its answers kept: a zone's offset is the costly part of luxon's
 * work (an `Intl` call each time), and pages and availability write the same slot times over and
 * over. Past `limit` answers it starts afresh, so memory stays bounded.
 */
export function remembered<T>(limit: number, compute: (key: string) => T): (key: string) => T {
  let answers = new Map<string, T>();
  return (key) => {
    const known = answers.get(key);
    if (known !== undefined) return known;
    const answer = compute(key);
    if (answers.size >= limit) answers = new Map();
    answers.set(key, answer);
    return answer;
  };
}

const instantText = remembered(20_000, (key) => {
  const [zone, millis] = key.split('|');
  return DateTime.fromMillis(Number(millis), { zone }).toISO({ suppressMilliseconds: true })!;
});

/** ISO 8601 with the library's UTC offset, e.g. `2026-12-01T15:00:00-05:00`. */
export function formatInstant(value: Date, zone: string): string {
  // Offsets are whole minutes, so dropping the milliseconds in UTC drops them locally too.
  const whole = Math.floor(value.getTime() / 1000) * 1000;
  return instantText(`${zone}|${whole}`);
}

const midnights = remembered(5_000, (key) => {
  const [zone, date] = key.split('|');
  return DateTime.fromISO(date, { zone }).startOf('day').toMillis();
});

/** The instant a library-local date begins (`YYYY-MM-DD`; not always 00:00 where DST starts at midnight). */
export function startOfLocalDay(date: string, zone: string): Date {
  return new Date(midnights(`${zone}|${date}`));
}

/** A `YYYY-MM-DD` date moved by whole days; calendar arithmetic, the same in every zone. */
export function addDays(date: string, days: number): string {
  return movedDates(`${date}|${days}`);
}

const movedDates = remembered(20_000, (key) => {
  const [date, days] = key.split('|');
  const [year, month, day] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day + Number(days))).toISOString().slice(0, 10);
});

export function formatNullableInstant(value: Date | null | undefined, zone: string): string | null {
  return value ? formatInstant(value, zone) : null;
}

/** An ISO 8601 date-time that names its offset (`Z` or `±hh:mm`). */
export const INSTANT_PATTERN =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The dates this service takes at all. Nothing a library books, reports or opens falls outside
 * them, and every loop over days stays short because its ends are inside them: past 9999 a date
 * prints as `+010000-01-01`, which once made a day loop that compared strings run forever.
 */
export const EARLIEST_DATE = '1900-01-01';
export const LATEST_DATE = '2199-12-31';
/** The widest UTC offset any zone has used (Kiribati, +14:00). */
const WIDEST_OFFSET_MINUTES = 14 * 60;

/** Plain words for the accepted range, for messages that name a field. */
export const DATE_RANGE_WORDS = `between ${EARLIEST_DATE} and ${LATEST_DATE}`;

function inDateRange(date: string): boolean {
  return date >= EARLIEST_DATE && date <= LATEST_DATE;
}

/** Whether a written offset (`Z`, `+05:30`, `-0800`) is one a clock can show. */
function realOffset(value: string): boolean {
  const match = /([+-])(\d{2}):?(\d{2})$/.exec(value);
  if (!match || value.endsWith('Z')) return true;
  const hours = Number(match[2]);
  const minutes = Number(match[3]);
  return minutes < 60 && hours * 60 + minutes <= WIDEST_OFFSET_MINUTES;
}

/**
 * An instant written with its offset, on a date from 1900 to 2199 and with an offset that
 * exists; null otherwise.
 */
export function parseInstant(value: string): Date | null {
  if (!INSTANT_PATTERN.test(value)) return null;
  const millis = instantsParsed(value);
  return millis === null ? null : new Date(millis);
}

/**
 * The instants of well-formed texts (short, by their pattern), kept: pages and clients ask about
 * the same times over and over.
 */
const instantsParsed = remembered(20_000, (value) => {
  if (!inDateRange(value.slice(0, 10)) || !realOffset(value)) return null;
  const parsed = DateTime.fromISO(value, { setZone: true });
  return parsed.isValid ? parsed.toMillis() : null;
});

/** A real calendar date written `YYYY-MM-DD`, from 1900 to 2199. */
export function isRealDate(value: string): boolean {
  return DATE_PATTERN.test(value) && realDates(value);
}

const realDates = remembered(
  20_000,
  (value) => inDateRange(value) && DateTime.fromISO(value).isValid,
);

const localDates = remembered(20_000, (key) => {
  const [zone, millis] = key.split('|');
  return DateTime.fromMillis(Number(millis), { zone }).toISODate()!;
});

/**
 * Per zone, the local dates last asked for and the instants each spans, from its first instant
 * to the next date's. "Now" is a new instant on every request, and a request also asks about the
 * days it books: answering from these spares a zone conversion and an entry in the kept answers.
 */
const recentDays = new Map<string, { date: string; start: number; end: number }[]>();
const RECENT_DAYS = 8;

/** The library-local calendar date of an instant. */
export function localDate(value: Date, zone: string): string {
  const at = value.getTime();
  const recent = recentDays.get(zone) ?? [];
  for (const day of recent) if (at >= day.start && at < day.end) return day.date;
  const date = localDates(`${zone}|${at}`);
  const start = midnights(`${zone}|${date}`);
  const end = midnights(`${zone}|${addDays(date, 1)}`);
  if (start <= at && at < end) {
    recentDays.set(zone, [{ date, start, end }, ...recent.slice(0, RECENT_DAYS - 1)]);
  }
  return date;
}

/**
 * Whole years between a birth date and a local date, both `YYYY-MM-DD`. Someone born on 29
 * February has their birthday on 1 March in other years.
 */
export function ageOn(birthDate: string, onDate: string): number {
  const years = Number(onDate.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return onDate.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

/** The most days any loop over dates may walk; callers check their own, smaller span first. */
export const MAX_LOOP_DAYS = 1000;

/**
 * Every local date from `from` to `to`, inclusive. Counts days rather than comparing written
 * dates, and refuses a span longer than `MAX_LOOP_DAYS`, so it always ends.
 */
export function datesBetween(from: string, to: string): string[] {
  const start = DateTime.fromISO(from, { zone: 'utc' });
  const end = DateTime.fromISO(to, { zone: 'utc' });
  if (!start.isValid || !end.isValid) throw new RangeError(`Not dates: ${from}, ${to}`);
  const count = Math.round(end.diff(start, 'days').days) + 1;
  if (count > MAX_LOOP_DAYS) throw new RangeError(`More than ${MAX_LOOP_DAYS} days: ${from}…${to}`);
  return Array.from({ length: Math.max(0, count) }, (_, i) => start.plus({ days: i }).toISODate());
}
