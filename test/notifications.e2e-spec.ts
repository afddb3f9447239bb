import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import ICAL from 'ical.js';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createServer } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import { CommonModule } from '../src/common/common.module';
import { AppConfigModule } from '../src/config/config.module';
import { bookingNotice } from '../src/notifications/booking-notice.factory';
import { NotificationsModule } from '../src/notifications/notifications.module';
import { NotificationsService } from '../src/notifications/notifications.service';

interface Received {
  secure: boolean;
  mailFrom: string | undefined;
  rcptTo: string[];
  raw: Buffer;
}

/**
 * A real SMTP server on loopback that keeps whatever it is sent. With `offerStartTls` it offers
 * STARTTLS with its built-in certificate, which no authority signed, as local relays often do.
 */
async function startSmtpServer(
  offerStartTls = false,
): Promise<{ server: SMTPServer; port: number; inbox: Received[] }> {
  const inbox: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: offerStartTls ? [] : ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const address = (a: SMTPServerAddress | false) => (a ? a.address : undefined);
        inbox.push({
          secure: session.secure,
          mailFrom: address(session.envelope.mailFrom),
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as { port: number };
  return { server, port, inbox };
}

/** A loopback port that was just free and is closed again, so connecting is refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** The notifications feature alone, configured from the environment as the app is. */
async function notificationsWith(env: Record<string, string>): Promise<NotificationsService> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    const moduleRef = await Test.createTestingModule({
      imports: [AppConfigModule, CommonModule, NotificationsModule],
    }).compile();
    return moduleRef.get(NotificationsService);
  } finally {
    process.env = saved;
  }
}

const ENV = { LIBRARY_TIMEZONE: 'America/New_York', PUBLIC_URL: 'https://lab.library.example' };

describe('Booking e-mails over SMTP', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.server.close(resolve));
  });

  afterEach(() => jest.restoreAllMocks());

  it('delivers the confirmation with the booking attached for the calendar', async () => {
    const notifications = await notificationsWith({
      ...ENV,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    });
    const notice = bookingNotice({
      start: new Date('2027-03-14T17:00:00Z'),
      end: new Date('2027-03-14T19:00:00Z'),
    });

    await notifications.notify('confirmed', notice);

    expect(smtp.inbox).toHaveLength(1);
    const [received] = smtp.inbox;
    expect(received.secure).toBe(false);
    expect(received.mailFrom).toBe('dml@lab.library.example');
    expect(received.rcptTo).toEqual(['ada@example.org']);
    const mail: ParsedMail = await simpleParser(received.raw);
    expect(mail.subject).toBe(
      'Your booking is confirmed: Podcast studio, Sunday 14 March 2027, 1:00–3:00 PM',
    );
    expect(mail.from?.text).toBe('"Digital Media Lab" <dml@lab.library.example>');
    expect(mail.text).toContain('When: Sunday 14 March 2027, 1:00–3:00 PM');
    expect(mail.text).toContain('Booking code: K7M2QX');
    expect(mail.text).toContain('https://lab.library.example/my/bookings');
    expect(mail.text).toContain('https://lab.library.example/manuals/podcast-studio-basics');

    expect(mail.attachments).toHaveLength(1);
    const [attachment] = mail.attachments;
    expect(attachment.filename).toBe('booking.ics');
    expect(attachment.contentType).toBe('text/calendar');
    expect(attachment.headers.get('content-type')).toMatchObject({
      params: { method: 'REQUEST' },
    });
    const calendar = new ICAL.Component(ICAL.parse(attachment.content.toString('utf8')));
    const event = new ICAL.Event(calendar.getFirstSubcomponent('vevent') ?? undefined);
    expect(event.uid).toBe(`${notice.bookingId}@lab.library.example`);
    expect(event.startDate.toJSDate().toISOString()).toBe('2027-03-14T17:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2027-03-14T19:00:00.000Z');
  });

  it('delivers a cancellation that withdraws the calendar entry', async () => {
    const notifications = await notificationsWith({
      ...ENV,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    });
    smtp.inbox.length = 0;

    await notifications.notify('cancelled', bookingNotice({ status: 'cancelled', sequence: 1 }));

    expect(smtp.inbox).toHaveLength(1);
    const mail = await simpleParser(smtp.inbox[0].raw);
    expect(mail.subject).toMatch(/^Your booking is cancelled: Podcast studio/);
    const [attachment] = mail.attachments;
    expect(attachment.headers.get('content-type')).toMatchObject({
      params: { method: 'CANCEL' },
    });
    const calendar = new ICAL.Component(ICAL.parse(attachment.content.toString('utf8')));
    const vevent = calendar.getFirstSubcomponent('vevent');
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(vevent?.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(vevent?.getFirstPropertyValue('sequence')).toBe(1);
  });

  it('lets the booking go on when the mail server is down, and logs the failure', async () => {
    const notifications = await notificationsWith({
      ...ENV,
      SMTP_URL: `smtp://127.0.0.1:${await closedPort()}`,
    });
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    await expect(notifications.notify('confirmed', bookingNotice())).resolves.toBeUndefined();

    expect(error).toHaveBeenCalledWith(expect.stringContaining('ECONNREFUSED'), expect.any(String));
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('confirmed notice for booking 6f1c2a9e'),
    );
  }, 15_000);

  it('sends in plain text to a loopback relay whose STARTTLS certificate nobody signed', async () => {
    const relay = await startSmtpServer(true);
    try {
      const notifications = await notificationsWith({
        ...ENV,
        SMTP_URL: `smtp://127.0.0.1:${relay.port}`,
      });
      await notifications.notify('reminder', bookingNotice());
      expect(relay.inbox).toHaveLength(1);
      expect(relay.inbox[0].secure).toBe(false);
    } finally {
      await new Promise<void>((resolve) => relay.server.close(resolve));
    }
  });
});
