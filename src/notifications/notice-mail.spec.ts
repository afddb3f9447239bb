import { loadAppConfig } from '../config/app-config';
import { bookingNotice } from './booking-notice.factory';
import { noticeMail, reviveNotice } from './notice-mail';

const config = loadAppConfig({ PUBLIC_URL: 'https://lab.library.example' });
const now = new Date('2026-11-20T14:30:00Z');

describe(noticeMail.name, () => {
  it('mails the patron the notice with the booking attached as a calendar request', () => {
    const mail = noticeMail('confirmed', bookingNotice(), config, now)!;
    expect(mail.to).toBe('ada@example.org');
    expect(mail.subject).toContain('Your booking is confirmed');
    expect(mail.text).toContain('K7M2QX');
    expect(mail.attachments).toEqual([
      expect.objectContaining({
        filename: 'booking.ics',
        contentType: 'text/calendar; charset=utf-8; method=REQUEST',
      }),
    ]);
    expect(String(mail.attachments?.[0].content)).toContain('METHOD:REQUEST\r\n');
  });

  it('attaches a cancellation so calendars drop the booking', () => {
    const mail = noticeMail(
      'cancelled',
      bookingNotice({ status: 'cancelled', sequence: 1 }),
      config,
      now,
    )!;
    const attachment = mail.attachments?.[0];
    expect(attachment?.contentType).toBe('text/calendar; charset=utf-8; method=CANCEL');
    expect(String(attachment?.content)).toContain('STATUS:CANCELLED\r\n');
  });

  it('has nothing to send to a patron without an e-mail address', () => {
    expect(noticeMail('confirmed', bookingNotice({ patronEmail: null }), config, now)).toBeNull();
  });

  it('renders a notice that went through the database the same as the original', () => {
    const original = bookingNotice();
    const stored = JSON.parse(JSON.stringify(original)) as typeof original;
    expect(noticeMail('reminder', reviveNotice(stored), config, now)).toEqual(
      noticeMail('reminder', original, config, now),
    );
  });
});
