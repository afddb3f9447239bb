import { DateTime } from 'luxon';
import { localDate, remembered } from './time';

/**
 * The one way this service writes dates and times for people (pages, e-mails, calendar text,
 * refusals), in the library's locale and time zone. Machine values (ISO in JSON, form field
 * values, CSV) never go through here.
 *
 * Words come from Intl, so `en-US` reads `Tue, Dec 1, 2:30 PM` and `en-GB` `Tue 1 Dec, 14:30`
 * without a month name written here.
 */
export class HouseStyle {
  /**
   * `numeric` hours on a 24-hour clock come out as `0:05` in V8, where the locale's own short
   * time is `00:05`: two digits there, as the locale writes them.
   */
  private readonly hour: 'numeric' | '2-digit';

  constructor(
    readonly locale: string,
    readonly zone: string,
  ) {
    const { hourCycle } = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions();
    this.hour = hourCycle === 'h23' || hourCycle === 'h24' ? '2-digit' : 'numeric';
  }

  /** `2:30 PM` */
  time(value: Date | string): string {
    return this.write(TIME, value);
  }

  /** `Tue, Dec 1`; with the year (`Tue, Dec 1, 2027`) when it is not the year of `now`. */
  date(value: Date | string, now?: Date): string {
    return this.write(this.yearOf([value], now) ? DATE_WITH_YEAR : DATE, value);
  }

  /** `Tue, Dec 1, 2:30 PM`; with the year when it is not the year of `now`. */
  dateTime(value: Date | string, now?: Date): string {
    return this.write(this.yearOf([value], now) ? DATE_TIME_WITH_YEAR : DATE_TIME, value);
  }

  /** `Tue, Dec 1, 2:30 – 3:30 PM`, or `Tue, Dec 1, 2:30 PM – Wed, Dec 2, 10:00 AM`. */
  range(start: Date | string, end: Date | string, now?: Date): string {
    const withYear = this.yearOf([start, end], now) ? 'year' : '';
    return this.ranges(`${withYear}|${this.millis(start)}|${this.millis(end)}`);
  }

  /** `2:30 – 3:30 PM`: a span within a day whose date is already shown. */
  timeRange(start: Date | string, end: Date | string): string {
    return this.ranges(`time|${this.millis(start)}|${this.millis(end)}`);
  }

  /**
   * Ranges written, kept: `formatRange` is the costly part of a booking's notice and of the
   * refusals availability writes slot by slot, and the same slot times come back all day.
   */
  private readonly ranges = remembered(5_000, (key) => {
    const [kind, start, end] = key.split('|');
    const options = kind === 'time' ? TIME : kind === 'year' ? DATE_TIME_WITH_YEAR : DATE_TIME;
    return plain(this.format(options).formatRange(new Date(Number(start)), new Date(Number(end))));
  });

  /**
   * A loan kit's booking as the days it is out, `Wed, Dec 2 – Fri, Dec 4, back by closing`: it is
   * booked from the midnight of its first day to the midnight after its last, which read as
   * times would say nothing but `12:00 AM`.
   */
  kitDays(start: Date, end: Date, now?: Date): string {
    const last = new Date(end.getTime() - 1);
    const options = this.yearOf([start, last], now) ? DATE_WITH_YEAR : DATE;
    const first = this.instant(start);
    const days = this.sameDay(first, last)
      ? this.format(options).format(first)
      : this.format(options).formatRange(first, last);
    return `${plain(days)}, back by closing`;
  }

  /** The last day of a kit's booking (its end is the midnight after), `Fri, Dec 4`. */
  kitLastDay(end: Date, now?: Date): string {
    return this.date(new Date(end.getTime() - 1), now);
  }

  /** `Tuesday, December 1, 2026`, for headings. */
  longDate(value: Date | string): string {
    return this.write(LONG_DATE, value);
  }

  private write(options: Intl.DateTimeFormatOptions, value: Date | string): string {
    return plain(this.format(options).format(this.instant(value)));
  }

  /** Whether any of the values falls in another year than `now` (always false without `now`). */
  private yearOf(values: (Date | string)[], now: Date | undefined): boolean {
    if (!now) return false;
    const year = localDate(now, this.zone).slice(0, 4);
    return values.some((v) => localDate(this.instant(v), this.zone).slice(0, 4) !== year);
  }

  private sameDay(a: Date, b: Date): boolean {
    return this.local(a).hasSame(this.local(b), 'day');
  }

  private local(value: Date | string): DateTime {
    return DateTime.fromJSDate(this.instant(value), { zone: this.zone });
  }

  private millis(value: Date | string): number {
    return this.instant(value).getTime();
  }

  /** A date (`YYYY-MM-DD`) is the start of that day in the library's zone. */
  private instant(value: Date | string): Date {
    if (value instanceof Date) return value;
    return DateTime.fromISO(value, { zone: this.zone }).toJSDate();
  }

  private format(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
    const key = `${this.locale}|${this.zone}|${JSON.stringify(options)}`;
    let format = FORMATS.get(key);
    if (!format) {
      const hour = 'hour' in options ? { hour: this.hour } : {};
      format = new Intl.DateTimeFormat(this.locale, { ...options, ...hour, timeZone: this.zone });
      FORMATS.set(key, format);
    }
    return format;
  }
}

const TIME: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const DATE: Intl.DateTimeFormatOptions = { weekday: 'short', month: 'short', day: 'numeric' };
const DATE_WITH_YEAR: Intl.DateTimeFormatOptions = { ...DATE, year: 'numeric' };
const DATE_TIME: Intl.DateTimeFormatOptions = { ...DATE, ...TIME };
const DATE_TIME_WITH_YEAR: Intl.DateTimeFormatOptions = { ...DATE_WITH_YEAR, ...TIME };
const LONG_DATE: Intl.DateTimeFormatOptions = {
  weekday: 'long',
  month: 'long',
  day: 'numeric',
  year: 'numeric',
};

/** Building an Intl format is the costly part; there are a handful per locale and zone. */
const FORMATS = new Map<string, Intl.DateTimeFormat>();

/**
 * ICU puts thin and narrow no-break spaces around dashes and before AM/PM; plain spaces read the
 * same, survive every mail client and match what people type when they search a page.
 */
function plain(text: string): string {
  return text.replace(/[\u2009\u202f\u00a0]/g, ' ');
}

const STYLES = new Map<string, HouseStyle>();

/** The house style of a configuration (`LIBRARY_LOCALE`, `LIBRARY_TIMEZONE`). */
export function houseStyle(config: { locale: string; timezone: string }): HouseStyle {
  const key = `${config.locale}|${config.timezone}`;
  let style = STYLES.get(key);
  if (!style) {
    style = new HouseStyle(config.locale, config.timezone);
    STYLES.set(key, style);
  }
  return style;
}

/**
 * A locale Intl knows, in its canonical spelling (`en-us` → `en-US`); null for a tag that is
 * malformed or that this Node has no data for.
 */
export function supportedLocale(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    return Intl.DateTimeFormat.supportedLocalesOf([canonical]).length ? canonical : null;
  } catch {
    return null;
  }
}
