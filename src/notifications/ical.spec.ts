import ICAL from 'ical.js';
import { loadAppConfig } from '../config/app-config';
import { bookingNotice } from './booking-notice.factory';
import { bookingCalendar, feedCalendar } from './ical';

const config = loadAppConfig({
  LIBRARY_TIMEZONE: 'America/New_York',
  PUBLIC_URL: 'https://lab.library.example',
});
const stamp = new Date('2026-11-20T14:30:00Z');

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  return { calendar, events };
}

describe('bookingCalendar', () => {
  it.each([
    ['on an ordinary day', '2026-12-01T20:00:00Z', '2026-12-01T22:00:00Z', '20261201T150000'],
    [
      'on the day clocks go forward',
      '2027-03-14T17:00:00Z',
      '2027-03-14T19:00:00Z',
      '20270314T130000',
    ],
    ['across the spring change', '2027-03-14T06:30:00Z', '2027-03-14T07:30:00Z', '20270314T013000'],
    [
      'on the day clocks go back',
      '2027-11-07T18:00:00Z',
      '2027-11-07T20:00:00Z',
      '20271107T130000',
    ],
    [
      'just after the autumn change',
      '2027-11-07T07:00:00Z',
      '2027-11-07T08:00:00Z',
      '20271107T020000',
    ],
  ])('gives calendar apps the booked instants %s', (_day, start, end, localStart) => {
    const text = bookingCalendar(
      bookingNotice({ start: new Date(start), end: new Date(end) }),
      config,
      stamp,
    );
    expect(text).toContain(`DTSTART;TZID=America/New_York:${localStart}\r\n`);
    const [event] = parse(text).events;
    expect(event.startDate.zone?.tzid).toBe('America/New_York');
    expect(event.startDate.toJSDate().toISOString()).toBe(new Date(start).toISOString());
    expect(event.endDate.toJSDate().toISOString()).toBe(new Date(end).toISOString());
  });

  it.each([
    ['America/New_York', '2026-12-02T05:00:00Z', '2026-12-05T05:00:00Z', '20261202', '20261205'],
    ['America/New_York', '2027-03-13T05:00:00Z', '2027-03-15T04:00:00Z', '20270313', '20270315'],
    ['Australia/Sydney', '2027-04-02T13:00:00Z', '2027-04-04T14:00:00Z', '20270403', '20270405'],
  ])(
    'makes a loan kit in %s an all-day event from its first day to the day after its last',
    (zone, start, end, firstDay, dayAfter) => {
      const local = loadAppConfig({ LIBRARY_TIMEZONE: zone, PUBLIC_URL: config.publicUrl });
      const notice = bookingNotice({ start: new Date(start), end: new Date(end), loanKit: true });
      const text = bookingCalendar(notice, local, stamp);
      expect(text).toContain(`DTSTART;VALUE=DATE:${firstDay}\r\n`);
      expect(text).toContain(`DTEND;VALUE=DATE:${dayAfter}\r\n`);
      const [event] = parse(text).events;
      expect([event.startDate.isDate, event.endDate.isDate]).toEqual([true, true]);
      expect(event.startDate.toString().replaceAll('-', '')).toBe(firstDay);
      expect(event.endDate.toString().replaceAll('-', '')).toBe(dayAfter);
    },
  );

  it.each([
    ['Europe/London', '2027-03-28T12:00:00Z', '2027-03-28T14:00:00Z'],
    ['Australia/Sydney', '2027-04-04T03:00:00Z', '2027-04-04T05:00:00Z'],
    ['America/Phoenix', '2027-03-14T20:00:00Z', '2027-03-14T22:00:00Z'],
  ])('gives the booked instants in %s as well', (zone, start, end) => {
    const local = loadAppConfig({ LIBRARY_TIMEZONE: zone, PUBLIC_URL: config.publicUrl });
    const text = bookingCalendar(
      bookingNotice({ start: new Date(start), end: new Date(end) }),
      local,
      stamp,
    );
    const [event] = parse(text).events;
    expect(event.startDate.toJSDate().toISOString()).toBe(new Date(start).toISOString());
    expect(event.endDate.toJSDate().toISOString()).toBe(new Date(end).toISOString());
  });

  it('keeps the same UID when the booking is moved, so calendars update their entry', () => {
    const first = parse(bookingCalendar(bookingNotice(), config, stamp)).events[0];
    const moved = parse(
      bookingCalendar(
        bookingNotice({
          start: new Date('2026-12-02T15:00:00Z'),
          end: new Date('2026-12-02T16:00:00Z'),
          sequence: 1,
        }),
        config,
        stamp,
      ),
    ).events[0];
    expect(first.uid).toBe('6f1c2a9e-4b7d-4f3a-9c1e-2d8b5a7e0c41@lab.library.example');
    expect(moved.uid).toBe(first.uid);
    expect(moved.sequence).toBe(1);
  });

  it('sends a confirmed booking as a REQUEST from the lab to the patron', () => {
    const { calendar, events } = parse(bookingCalendar(bookingNotice(), config, stamp));
    const vevent = events[0].component;
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(vevent.getFirstPropertyValue('organizer')).toBe('mailto:dml@lab.library.example');
    expect(String(vevent.getFirstPropertyValue('attendee')).toLowerCase()).toBe(
      'mailto:ada@example.org',
    );
    expect(events[0].summary).toBe('Podcast studio — Digital Media Lab');
    expect(events[0].location).toBe('Digital Media Lab, 2nd floor, room 204');
    expect(vevent.getFirstPropertyValue('url')).toBe('https://lab.library.example/my/bookings');
  });

  it('sends a cancellation as a CANCEL with STATUS:CANCELLED and the bumped SEQUENCE', () => {
    const text = bookingCalendar(
      bookingNotice({ status: 'cancelled', sequence: 2 }),
      config,
      stamp,
    );
    const { calendar, events } = parse(text);
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(events[0].component.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(events[0].sequence).toBe(2);
    expect(events[0].description).toContain('is canceled and its time released');
    expect(events[0].description).not.toContain('/my/bookings');
  });

  it('withdraws a booking released as a no-show from the calendar too', () => {
    const { calendar, events } = parse(
      bookingCalendar(bookingNotice({ status: 'no_show', sequence: 1 }), config, stamp),
    );
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(events[0].component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('describes the code, how to cancel and where the walkthroughs are', () => {
    const notice = bookingNotice({ manualSlugs: ['podcast-studio-basics', 'podcast-editing'] });
    const description = parse(bookingCalendar(notice, config, stamp)).events[0].description;
    expect(description).toContain('K7M2QX');
    expect(description).toContain('https://lab.library.example/my/bookings');
    expect(description).toContain('https://lab.library.example/manuals/podcast-studio-basics');
    expect(description).toContain('https://lab.library.example/manuals/podcast-editing');
  });

  it('points to the equipment page when the device has no walkthrough yet', () => {
    const description = parse(bookingCalendar(bookingNotice({ manualSlugs: [] }), config, stamp))
      .events[0].description;
    expect(description).toContain('https://lab.library.example/equipment/podcast-studio');
    expect(description).not.toContain('/manuals/');
  });

  it('writes DTSTAMP in UTC and folds every line to 75 octets with CRLF', () => {
    const text = bookingCalendar(
      bookingNotice({ location: 'Digital Media Lab — Ōtautahi branch, '.repeat(4) }),
      config,
      stamp,
    );
    expect(text).toContain('DTSTAMP:20261120T143000Z\r\n');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(parse(text).events[0].location).toBe('Digital Media Lab — Ōtautahi branch, '.repeat(4));
  });
});

describe('feedCalendar', () => {
  it('holds every booking under one time zone, with a name and a refresh hint', () => {
    const notices = [
      bookingNotice({ bookingId: 'a', start: new Date('2026-12-01T20:00:00Z') }),
      bookingNotice({
        bookingId: 'b',
        start: new Date('2027-03-14T17:00:00Z'),
        end: new Date('2027-03-14T19:00:00Z'),
      }),
      bookingNotice({
        bookingId: 'c',
        status: 'cancelled',
        start: new Date('2027-11-07T18:00:00Z'),
        end: new Date('2027-11-07T20:00:00Z'),
      }),
    ];
    const text = feedCalendar(notices, config, 'My Digital Media Lab bookings', stamp);
    const { calendar, events } = parse(text);
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('x-wr-calname')).toBe('My Digital Media Lab bookings');
    expect(text).toContain('X-PUBLISHED-TTL:PT1H\r\n');
    expect(text).toContain('REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n');
    expect(calendar.getAllSubcomponents('vtimezone')).toHaveLength(1);
    expect(events.map((e) => e.uid)).toEqual([
      'a@lab.library.example',
      'b@lab.library.example',
      'c@lab.library.example',
    ]);
    expect(events.map((e) => e.startDate.toJSDate().toISOString())).toEqual([
      '2026-12-01T20:00:00.000Z',
      '2027-03-14T17:00:00.000Z',
      '2027-11-07T18:00:00.000Z',
    ]);
    expect(events[2].component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('is a valid calendar with no events when the patron has no bookings', () => {
    const { calendar, events } = parse(feedCalendar([], config, 'Nothing booked', stamp));
    expect(calendar.name).toBe('vcalendar');
    expect(events).toHaveLength(0);
  });
});

describe('names with line breaks from older data', () => {
  const hostile = bookingNotice({
    deviceName: 'Podcast studio\r\nBEGIN:VEVENT\r\nSUMMARY:Injected',
    location: 'Lab\nATTACH:https://evil.example/x',
    patronName: 'Ada\r\nATTENDEE:mailto:evil@example.org',
  });

  it.each([
    ['an e-mail invitation', () => bookingCalendar(hostile, config, stamp)],
    ['the calendar feed', () => feedCalendar([hostile], config, 'Feed\r\nX-EVIL:1', stamp)],
  ])('stay one line in %s', (_where, build) => {
    const text = build();
    const { events } = parse(text);
    expect(events).toHaveLength(1);
    expect(events[0].summary).toContain('Podcast studio BEGIN:VEVENT SUMMARY:Injected');
    expect(events[0].location).toBe('Lab ATTACH:https://evil.example/x');
    expect(text).not.toMatch(/\r\n(SUMMARY:Injected|ATTACH|ATTENDEE:mailto:evil|X-EVIL)/);
  });
});
