import { DateTime } from 'luxon';
import {
  addDays,
  ageOn,
  datesBetween,
  formatInstant,
  isRealDate,
  localDate,
  parseInstant,
  startOfLocalDay,
} from './time';

describe(formatInstant.name, () => {
  it.each([
    ['2026-12-01T20:00:00Z', '2026-12-01T15:00:00-05:00'],
    ['2027-07-01T17:30:00Z', '2027-07-01T13:30:00-04:00'],
    ['2027-03-14T07:30:00Z', '2027-03-14T03:30:00-04:00'],
    ['2027-11-07T05:30:00Z', '2027-11-07T01:30:00-04:00'],
    ['2027-11-07T06:30:00Z', '2027-11-07T01:30:00-05:00'],
  ])('writes %s in New York as %s', (utc, local) => {
    expect(formatInstant(new Date(utc), 'America/New_York')).toBe(local);
  });
});

describe(parseInstant.name, () => {
  it.each([
    '2026-12-01T15:00:00-05:00',
    '2026-12-01T20:00:00Z',
    '2026-12-01T20:00Z',
    '2026-12-01T20:00:00.250+00:00',
    '2026-12-01T20:00:00+14:00',
    '2026-12-01T20:00:00-12:00',
    '2026-12-01T20:00:00+0530',
    '1900-01-01T00:00:00Z',
    '2199-12-31T23:59:59-05:00',
  ])('reads %s', (text) => {
    expect(parseInstant(text)).toBeInstanceOf(Date);
  });

  it.each([
    '2026-12-01T15:00:00',
    '2026-12-01',
    'tomorrow',
    '2026-02-30T10:00:00Z',
    '2026-12-01T25:00:00Z',
    '',
    '1899-12-31T23:59:59Z',
    '2200-01-01T00:00:00Z',
    '9999-12-31T10:00:00Z',
    '0000-01-01T10:00:00Z',
    '+010000-01-01T10:00:00Z',
    '2026-12-01T10:00:00+99:99',
    '2026-12-01T10:00:00+24:00',
    '2026-12-01T10:00:00-13:60',
    '2026-12-01T10:00:00-24:00',
    '2026-12-01T10:00:00+14:01',
  ])('refuses %p', (text) => {
    expect(parseInstant(text)).toBeNull();
    expect(parseInstant(text)).toBeNull();
  });

  it('gives each caller its own Date, whatever another did to the one it was given', () => {
    const first = parseInstant('2026-12-01T15:00:00-05:00')!;
    first.setTime(0);
    const second = parseInstant('2026-12-01T15:00:00-05:00')!;
    expect(second.toISOString()).toBe('2026-12-01T20:00:00.000Z');
    expect(second).not.toBe(first);
  });
});

describe(ageOn.name, () => {
  it.each([
    ['2012-12-01', '2026-12-01', 14],
    ['2012-12-02', '2026-12-01', 13],
    ['2008-02-29', '2026-02-28', 17],
    ['2008-02-29', '2026-03-01', 18],
  ])('born %s is on %s aged %i', (birth, on, age) => {
    expect(ageOn(birth, on)).toBe(age);
  });
});

describe(isRealDate.name, () => {
  it.each(['1900-01-01', '2026-02-28', '2028-02-29', '2199-12-31'])('takes %s', (text) => {
    expect(isRealDate(text)).toBe(true);
  });

  it.each(['1899-12-31', '2200-01-01', '9999-12-31', '0000-01-01', '+010000-01-01', '2026-02-29'])(
    'refuses %s',
    (text) => {
      expect(isRealDate(text)).toBe(false);
    },
  );
});

describe(datesBetween.name, () => {
  it('ends on the last day of year 9999 instead of looping past it', () => {
    expect(datesBetween('9999-12-30', '9999-12-31')).toEqual(['9999-12-30', '9999-12-31']);
  });

  it('refuses to walk more days than any caller needs', () => {
    expect(() => datesBetween('1900-01-01', '2199-12-31')).toThrow(RangeError);
  });

  it('is empty when the range is backwards', () => {
    expect(datesBetween('2026-12-02', '2026-12-01')).toEqual([]);
  });

  it('lists every date across a DST change', () => {
    expect(datesBetween('2027-03-13', '2027-03-15')).toEqual([
      '2027-03-13',
      '2027-03-14',
      '2027-03-15',
    ]);
  });
});

describe(addDays.name, () => {
  it.each([
    ['2026-11-30', 1, '2026-12-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2028-02-28', 1, '2028-02-29'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-03-08', 0, '2026-03-08'],
  ])('%s moved by %i days is %s', (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });
});

describe(startOfLocalDay.name, () => {
  it.each([
    ['2026-12-01', 'America/New_York', '2026-12-01T05:00:00.000Z'],
    ['2026-07-01', 'America/New_York', '2026-07-01T04:00:00.000Z'],
    // Santiago moves its clocks at midnight: the day begins at 01:00.
    ['2026-09-06', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
  ])('%s in %s begins at %s', (date, zone, expected) => {
    expect(startOfLocalDay(date, zone).toISOString()).toBe(expected);
    // Asked again, the remembered answer is the same.
    expect(startOfLocalDay(date, zone).toISOString()).toBe(expected);
  });
});

describe(localDate.name, () => {
  // Days that end or begin oddly: DST at 2 am (New York), at midnight (Santiago, Havana), half an
  // hour of DST (Lord Howe Island) and a half-hour offset (Kolkata).
  it.each([
    ['America/New_York', '2027-03-13T12:00', '2027-03-15T12:00'],
    ['America/New_York', '2027-11-06T12:00', '2027-11-08T12:00'],
    ['America/Santiago', '2027-04-02T12:00', '2027-04-04T12:00'],
    ['America/Santiago', '2027-09-04T12:00', '2027-09-06T12:00'],
    ['America/Havana', '2027-03-13T12:00', '2027-03-15T12:00'],
    ['Australia/Lord_Howe', '2027-04-03T12:00', '2027-04-05T12:00'],
    ['Asia/Kolkata', '2027-01-01T12:00', '2027-01-03T12:00'],
  ])('in %s, from %s to %s, agrees with the zone rules at every step', (zone, from, to) => {
    const start = DateTime.fromISO(from, { zone: 'utc' }).toMillis();
    const end = DateTime.fromISO(to, { zone: 'utc' }).toMillis();
    const instants: number[] = [];
    for (let at = start; at < end; at += 7 * 60_000 + 13_000) instants.push(at);
    // In order (as "now" moves on), then back and forth (as a day grid and now interleave).
    const shuffled = instants.map((at, i) => instants[(i * 7919) % instants.length]);
    for (const at of [...instants, ...shuffled]) {
      const expected = DateTime.fromMillis(at, { zone }).toISODate();
      expect(`${new Date(at).toISOString()} ${localDate(new Date(at), zone)}`).toBe(
        `${new Date(at).toISOString()} ${expected}`,
      );
    }
  });
});
