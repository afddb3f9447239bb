import { loadAppConfig } from '../config/app-config';
import type { NoticeKind } from './booking-notice';
import { bookingNotice } from './booking-notice.factory';
import { composeNotice } from './notice-message';

const env = { LIBRARY_TIMEZONE: 'America/New_York', PUBLIC_URL: 'https://lab.library.example' };
const config = loadAppConfig(env);

describe(composeNotice.name, () => {
  it('tells the patron when and where, the code, the late rule, the walkthrough and how to cancel', () => {
    const { subject, text } = composeNotice('confirmed', bookingNotice(), config);
    expect(subject).toBe('Your booking is confirmed: Podcast studio, Tue, Dec 1, 3:00 – 5:00 PM');
    expect(text).toContain('Hello Ada Reader,');
    expect(text).toContain('When: Tue, Dec 1, 3:00 – 5:00 PM');
    expect(text).toContain('Where: Digital Media Lab, 2nd floor, room 204');
    expect(text).toContain('Booking code: K7M2QX');
    expect(text).toContain('within 15 minutes of the start');
    expect(text).toContain('https://lab.library.example/manuals/podcast-studio-basics');
    expect(text).toContain('cancel at https://lab.library.example/my/bookings');
  });

  it('lists every walkthrough of the device', () => {
    const notice = bookingNotice({ manualSlugs: ['podcast-studio-basics', 'podcast-editing'] });
    const { text } = composeNotice('reminder', notice, config);
    expect(text).toContain('  https://lab.library.example/manuals/podcast-studio-basics\n');
    expect(text).toContain('  https://lab.library.example/manuals/podcast-editing\n');
  });

  it('points to the equipment page when the device has no walkthrough yet', () => {
    const { text } = composeNotice('confirmed', bookingNotice({ manualSlugs: [] }), config);
    expect(text).toContain('https://lab.library.example/equipment/podcast-studio');
  });

  it.each<[NoticeKind, string]>([
    ['confirmed', 'Your booking is confirmed: Podcast studio, '],
    ['changed', 'Your booking has changed: Podcast studio, now '],
    ['reminder', 'Reminder: Podcast studio, '],
    ['waitlist_promoted', 'A place opened up: Podcast studio is yours, '],
    ['cancelled', 'Your booking is canceled: Podcast studio, '],
    ['no_show', 'We released your booking: Podcast studio, '],
  ])('words the %s notice for the patron', (kind, start) => {
    const { subject, text } = composeNotice(kind, bookingNotice(), config);
    expect(subject).toBe(`${start}Tue, Dec 1, 3:00 – 5:00 PM`);
    expect(text).toContain('Tue, Dec 1, 3:00 – 5:00 PM');
    expect(text).toContain('K7M2QX');
  });

  it.each<NoticeKind>(['cancelled', 'no_show'])(
    'offers to book again, not to cancel or check in, after a %s booking',
    (kind) => {
      const { text } = composeNotice(kind, bookingNotice({ status: kind }), config);
      expect(text).toContain('https://lab.library.example/equipment/podcast-studio');
      expect(text).not.toContain('/my/bookings');
      expect(text).not.toContain('check in at the desk');
    },
  );

  it('asks for an overdue kit back, with its due date, and no check-in or cancel advice', () => {
    const notice = bookingNotice({
      status: 'checked_in',
      deviceName: 'Camera kit 1',
      extra: 'It was due back by closing on Fri, Dec 4.',
    });
    const { subject, text } = composeNotice('overdue', notice, config);
    expect(subject).toBe('Please bring back the Camera kit 1: it is overdue');
    expect(text).toContain('It was due back by closing on Fri, Dec 4.');
    expect(text).toContain('Booking code: K7M2QX');
    expect(text).toContain('every part of the kit');
    expect(text).not.toContain('within 15 minutes');
    expect(text).not.toContain('Please cancel');
  });

  it('tells a borrower when to pick a kit up and bring it back, not to check in within minutes', () => {
    const notice = bookingNotice({
      deviceName: 'Camera kit 1',
      loanKit: true,
      start: new Date('2026-12-02T05:00:00Z'),
      end: new Date('2026-12-05T05:00:00Z'),
    });
    const { text } = composeNotice('confirmed', notice, config);
    expect(text).toContain(
      'Please pick the kit up at the desk on Wed, Dec 2 and bring it back by closing time on Fri, Dec 4.',
    );
    expect(text).not.toContain('within 15 minutes');
    const released = composeNotice('no_show', { ...notice, status: 'no_show' }, config).text;
    expect(released).toContain('was not picked up on the first day of your booking');
  });

  it('words a loan kit as the days it is out, never as midnight times', () => {
    const notice = bookingNotice({
      start: new Date('2026-12-02T05:00:00Z'),
      end: new Date('2026-12-05T05:00:00Z'),
      loanKit: true,
    });
    for (const kind of ['confirmed', 'reminder', 'cancelled', 'no_show', 'overdue'] as const) {
      const { subject, text } = composeNotice(kind, notice, config);
      expect(`${subject}\n${text}`).not.toMatch(/12:00 AM|00:00/);
      if (kind !== 'overdue') expect(subject).toContain('Wed, Dec 2 – Fri, Dec 4, back by closing');
    }
    const { text } = composeNotice('confirmed', notice, config);
    expect(text).toContain('When: Wed, Dec 2 – Fri, Dec 4, back by closing');
    expect(composeNotice('overdue', notice, config).text).toContain(
      'Borrowed: Wed, Dec 2 – Fri, Dec 4, back by closing',
    );
  });

  it('tells a no-show why the time was released', () => {
    const { text } = composeNotice('no_show', bookingNotice({ status: 'no_show' }), config);
    expect(text).toContain('not checked in within 15 minutes');
  });
});

describe('displacement and pause notices', () => {
  it.each([
    ['outage', 'Podcast studio is out of service'],
    ['out_of_service', 'Podcast studio is out of service'],
    ['retired', 'Podcast studio has been retired'],
    ['closure', 'The lab is closed'],
    ['hours', 'The lab’s opening hours have changed'],
  ])('says what the lab did (%s) and that the patron is not blamed', (kind, opening) => {
    const notice = bookingNotice({ status: 'displaced', displacedKind: kind, extra: 'Reason: x' });
    const { subject, text } = composeNotice('displaced', notice, config);
    expect(subject).toBe(`${opening}: your booking Tue, Dec 1, 3:00 – 5:00 PM is off`);
    expect(text).toContain('not counted against you');
    expect(text).toContain('Reason: x');
    expect(text).not.toMatch(/still stands|check in/i);
  });

  it('tells a paused patron until when, and that the desk can lift it', () => {
    const notice = bookingNotice({
      status: 'no_show',
      extra: 'Booking is paused until Wed, Dec 16, 9:00 AM.',
    });
    const { subject, text } = composeNotice('suspended', notice, config);
    expect(subject).toBe('Booking is paused on your card');
    expect(text).toContain('until Wed, Dec 16, 9:00 AM');
    expect(text).toContain('the desk can lift the pause');
  });
});

describe('the time in a notice', () => {
  const sentOn = new Date('2026-11-30T15:00:00Z');
  const subjectOf = (start: string, end: string, loanKit = false) =>
    composeNotice(
      'confirmed',
      bookingNotice({ start: new Date(start), end: new Date(end), loanKit }),
      config,
      sentOn,
    ).subject.replace('Your booking is confirmed: Podcast studio, ', '');

  it.each([
    ['2026-12-01T20:00:00Z', '2026-12-01T22:00:00Z', 'Tue, Dec 1, 3:00 – 5:00 PM'],
    ['2026-12-01T16:00:00Z', '2026-12-01T18:00:00Z', 'Tue, Dec 1, 11:00 AM – 1:00 PM'],
    ['2027-03-14T17:00:00Z', '2027-03-14T19:00:00Z', 'Sun, Mar 14, 2027, 1:00 – 3:00 PM'],
    ['2027-11-07T18:00:00Z', '2027-11-07T20:00:00Z', 'Sun, Nov 7, 2027, 1:00 – 3:00 PM'],
    ['2026-12-02T03:00:00Z', '2026-12-02T06:00:00Z', 'Tue, Dec 1, 10:00 PM – Wed, Dec 2, 1:00 AM'],
  ])(
    'writes %s to %s as "%s", with the year only when it is not this year',
    (start, end, expected) => {
      expect(subjectOf(start, end)).toBe(expected);
    },
  );

  it.each([
    ['2026-12-02T05:00:00Z', '2026-12-05T05:00:00Z', 'Wed, Dec 2 – Fri, Dec 4, back by closing'],
    ['2026-12-02T05:00:00Z', '2026-12-03T05:00:00Z', 'Wed, Dec 2, back by closing'],
    [
      '2026-12-30T05:00:00Z',
      '2027-01-02T05:00:00Z',
      'Wed, Dec 30, 2026 – Fri, Jan 1, 2027, back by closing',
    ],
    // Over the spring change the day is 23 hours long; the days stay the days.
    [
      '2027-03-13T05:00:00Z',
      '2027-03-15T04:00:00Z',
      'Sat, Mar 13 – Sun, Mar 14, 2027, back by closing',
    ],
  ])('writes a kit from %s to %s as %s', (start, end, expected) => {
    expect(subjectOf(start, end, true)).toBe(expected);
  });

  it('writes 24-hour times and day-month dates for LIBRARY_LOCALE=en-GB', () => {
    const british = loadAppConfig({ ...env, LIBRARY_LOCALE: 'en-GB' });
    const { subject, text } = composeNotice('confirmed', bookingNotice(), british, sentOn);
    expect(subject).toBe('Your booking is confirmed: Podcast studio, Tue 1 Dec, 15:00–17:00');
    expect(text).toContain('When: Tue 1 Dec, 15:00–17:00');
  });
});

describe('a name with line breaks from older data', () => {
  it('keeps the subject and greeting one line', () => {
    const message = composeNotice(
      'confirmed',
      bookingNotice({ deviceName: 'Studio\r\nBcc: all@example.org', patronName: 'Ada\nLovelace' }),
      config,
    );
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect(message.subject).toContain('Studio Bcc: all@example.org');
    expect(message.text).toContain('Hello Ada Lovelace,');
  });
});
