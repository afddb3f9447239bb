import { DateTime, IANAZone } from 'luxon';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** From `start` on, local clocks read UTC plus `offset` minutes; before it, `previous`. */
interface Observance {
  start: number;
  previous: number;
  offset: number;
}

/**
 * A VTIMEZONE for `zoneName` covering the whole local years from `from` to `to`, built from the
 * zone rules the runtime knows. Each change of offset is written out as its own observance
 * rather than as a recurrence rule, which stays right even in years whose rules differ.
 */
export function vtimezone(zoneName: string, from: Date, to: Date): string {
  const zone = IANAZone.create(zoneName);
  const first = DateTime.fromJSDate(from, { zone }).startOf('year').toMillis();
  const last = DateTime.fromJSDate(to, { zone }).endOf('year').toMillis() + 1;
  // Walking the years a day at a time was a third of the work of placing a booking (every
  // confirmation carries a calendar); the answer only depends on the zone and the years.
  const key = `${zoneName} ${first} ${last}`;
  let text = built.get(key);
  if (text === undefined) {
    text = build(zoneName, zone, first, last);
    if (built.size >= 64) built.clear();
    built.set(key, text);
  }
  return text;
}

const built = new Map<string, string>();

function build(zoneName: string, zone: IANAZone, first: number, last: number): string {
  const initial: Observance = {
    start: first,
    previous: zone.offset(first),
    offset: zone.offset(first),
  };
  const observances = [initial, ...offsetChanges(zone, first, last)];
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${zoneName}`,
    ...observances.flatMap((o) => observanceLines(zoneName, o)),
    'END:VTIMEZONE',
  ].join('\r\n');
}

/** Every change of UTC offset in `[from, to)`, found a day at a time. */
export function offsetChanges(zone: IANAZone, from: number, to: number): Observance[] {
  const changes: Observance[] = [];
  for (let day = from; day < to; day += DAY) {
    const next = Math.min(day + DAY, to);
    if (zone.offset(day) !== zone.offset(next)) changes.push(pinpoint(zone, day, next));
  }
  return changes;
}

/** Narrows a day that holds a change of offset down to the minute the change happens. */
function pinpoint(zone: IANAZone, before: number, after: number): Observance {
  let low = before;
  let high = after;
  while (high - low > MINUTE) {
    const middle = low + Math.floor((high - low) / MINUTE / 2) * MINUTE;
    if (zone.offset(middle) === zone.offset(low)) low = middle;
    else high = middle;
  }
  return { start: high, previous: zone.offset(low), offset: zone.offset(high) };
}

function observanceLines(zoneName: string, o: Observance): string[] {
  const kind = DateTime.fromMillis(o.start, { zone: zoneName }).isInDST ? 'DAYLIGHT' : 'STANDARD';
  // RFC 5545 gives an observance's onset as local time read in the offset in force until then
  // (02:00 EST for the spring change, 02:00 EDT for the autumn one).
  const onset = DateTime.fromMillis(o.start + o.previous * MINUTE, { zone: 'utc' });
  return [
    `BEGIN:${kind}`,
    `DTSTART:${onset.toFormat("yyyyLLdd'T'HHmmss")}`,
    `TZOFFSETFROM:${utcOffset(o.previous)}`,
    `TZOFFSETTO:${utcOffset(o.offset)}`,
    `END:${kind}`,
  ];
}

function utcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const size = Math.abs(minutes);
  const hours = String(Math.floor(size / 60)).padStart(2, '0');
  return `${sign}${hours}${String(size % 60).padStart(2, '0')}`;
}
