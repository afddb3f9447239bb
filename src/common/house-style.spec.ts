import { HouseStyle, houseStyle, supportedLocale } from './house-style';

const zone = 'America/New_York';
const us = new HouseStyle('en-US', zone);
const gb = new HouseStyle('en-GB', zone);
const at = (iso: string) => new Date(iso);
/** Early November 2026 in New York: clocks go back at 2 AM on Sunday, Nov 1. */
const now = at('2026-10-30T16:00:00Z');

describe(HouseStyle.name, () => {
  it.each([
    [us, '2026-10-31T18:30:00Z', '2:30 PM'],
    [us, '2026-11-02T19:30:00Z', '2:30 PM'],
    [us, '2026-11-01T05:30:00Z', '1:30 AM'],
    [us, '2026-11-01T06:30:00Z', '1:30 AM'],
    [us, '2026-12-01T17:00:00Z', '12:00 PM'],
    [gb, '2026-10-31T18:30:00Z', '14:30'],
    [gb, '2026-11-02T19:30:00Z', '14:30'],
    [gb, '2026-12-01T05:05:00Z', '00:05'],
  ])('writes the local time on either side of the clock change (%#)', (style, iso, text) => {
    expect(style.time(at(iso))).toBe(text);
  });

  it.each([
    [us, '2026-12-01', 'Tue, Dec 1'],
    [us, '2027-01-05', 'Tue, Jan 5, 2027'],
    [gb, '2026-12-01', 'Tue 1 Dec'],
    [gb, '2027-01-05', 'Tue, 5 Jan 2027'],
  ])('writes a date, with the year only when it is not this year (%#)', (style, date, text) => {
    expect(style.date(date, now)).toBe(text);
  });

  it('writes the local date of an instant, not the UTC one', () => {
    expect(us.date(at('2026-12-02T03:00:00Z'))).toBe('Tue, Dec 1');
  });

  it.each([
    [us, '2026-11-01T16:00:00Z', 'Sun, Nov 1, 11:00 AM'],
    [us, '2027-03-14T18:30:00Z', 'Sun, Mar 14, 2027, 2:30 PM'],
    [gb, '2026-11-01T16:00:00Z', 'Sun 1 Nov, 11:00'],
    [gb, '2026-11-01T14:05:00Z', 'Sun 1 Nov, 09:05'],
  ])('writes a date and time (%#)', (style, iso, text) => {
    expect(style.dateTime(at(iso), now)).toBe(text);
  });

  it.each([
    [us, '2026-12-01T19:30:00Z', '2026-12-01T20:30:00Z', 'Tue, Dec 1, 2:30 – 3:30 PM'],
    [us, '2026-12-01T16:00:00Z', '2026-12-01T19:00:00Z', 'Tue, Dec 1, 11:00 AM – 2:00 PM'],
    [
      us,
      '2026-12-01T19:30:00Z',
      '2026-12-02T15:00:00Z',
      'Tue, Dec 1, 2:30 PM – Wed, Dec 2, 10:00 AM',
    ],
    // 1:00 to 3:00 AM local on the night clocks go back is three hours of wall time.
    [us, '2026-11-01T05:00:00Z', '2026-11-01T08:00:00Z', 'Sun, Nov 1, 1:00 – 3:00 AM'],
    [gb, '2026-12-01T19:30:00Z', '2026-12-01T20:30:00Z', 'Tue 1 Dec, 14:30–15:30'],
    [gb, '2026-12-01T19:30:00Z', '2026-12-02T15:00:00Z', 'Tue 1 Dec, 14:30 – Wed 2 Dec, 10:00'],
  ])('writes a range from %s to %s', (style, start, end, text) => {
    expect(style.range(at(start), at(end), now)).toBe(text);
  });

  it('writes the times of a range whose day is already shown', () => {
    expect(us.timeRange(at('2026-12-01T19:30:00Z'), at('2026-12-01T20:30:00Z'))).toBe(
      '2:30 – 3:30 PM',
    );
    expect(gb.timeRange(at('2026-12-01T19:30:00Z'), at('2026-12-01T20:30:00Z'))).toBe(
      '14:30–15:30',
    );
  });

  it.each([
    // Midnight to midnight across the clock change: Oct 31 to Nov 2 is 49 hours, three days.
    [
      us,
      '2026-10-31T04:00:00Z',
      '2026-11-03T05:00:00Z',
      'Sat, Oct 31 – Mon, Nov 2, back by closing',
    ],
    [us, '2026-12-02T05:00:00Z', '2026-12-03T05:00:00Z', 'Wed, Dec 2, back by closing'],
    [
      us,
      '2026-12-30T05:00:00Z',
      '2027-01-02T05:00:00Z',
      'Wed, Dec 30, 2026 – Fri, Jan 1, 2027, back by closing',
    ],
    [gb, '2026-10-31T04:00:00Z', '2026-11-03T05:00:00Z', 'Sat 31 Oct – Mon 2 Nov, back by closing'],
  ])('writes a kit booked from %s to %s as the days it is out', (style, start, end, text) => {
    expect(style.kitDays(at(start), at(end), now)).toBe(text);
  });

  it('names the last day of a kit booking, not the midnight after it', () => {
    expect(us.kitLastDay(at('2026-12-05T05:00:00Z'))).toBe('Fri, Dec 4');
  });

  it.each([
    [us, '2026-11-01', 'Sunday, November 1, 2026'],
    [gb, '2026-11-01', 'Sunday, 1 November 2026'],
  ])('writes a long date for headings (%#)', (style, date, text) => {
    expect(style.longDate(date)).toBe(text);
  });

  it('keeps one style per locale and zone', () => {
    const config = { locale: 'en-US', timezone: zone };
    expect(houseStyle(config)).toBe(houseStyle({ ...config }));
  });
});

describe(supportedLocale.name, () => {
  it.each([
    ['en-US', 'en-US'],
    ['en-gb', 'en-GB'],
    ['fr-CA', 'fr-CA'],
    ['not a locale', null],
    ['xx-YY', null],
  ])('takes %s as %s', (tag, locale) => {
    expect(supportedLocale(tag)).toBe(locale);
  });
});
