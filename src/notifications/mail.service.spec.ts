import { Logger } from '@nestjs/common';
import { simpleParser } from 'mailparser';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock } from '../common/clock';
import { loadAppConfig } from '../config/app-config';
import { MailService, outboxDir } from './mail.service';

const clock: Clock = { now: () => new Date('2026-11-20T14:30:00.000Z') };
const calendarText = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n';

/** A loopback port that was just free and is closed again, so connecting is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe(MailService.name, () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'dml-mail-'));
  });

  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('writes each message to the outbox as an e-mail file when no SMTP server is set', async () => {
    const config = loadAppConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://lab.library.example' });
    const mail = new MailService(config, clock);
    await mail.send({
      to: 'ada@example.org',
      subject: 'Your booking is confirmed: Podcast studio, Tue, Dec 1, 3:00 – 5:00 PM',
      text: 'Booking code: K7M2QX\n',
      attachments: [
        {
          filename: 'booking.ics',
          content: calendarText,
          contentType: 'text/calendar; charset=utf-8; method=REQUEST',
        },
      ],
    });

    const files = readdirSync(outboxDir(config));
    expect(files).toEqual([expect.stringMatching(/^2026-11-20T14-30-00\.000Z-[0-9a-f]{8}\.eml$/)]);
    const parsed = await simpleParser(readFileSync(join(outboxDir(config), files[0])));
    expect(parsed.subject).toBe(
      'Your booking is confirmed: Podcast studio, Tue, Dec 1, 3:00 – 5:00 PM',
    );
    expect(parsed.from?.value).toEqual([
      { name: 'Digital Media Lab', address: 'dml@lab.library.example' },
    ]);
    expect(parsed.text).toContain('Booking code: K7M2QX');
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0].contentType).toBe('text/calendar');
    expect(parsed.attachments[0].filename).toBe('booking.ics');
    expect(parsed.attachments[0].content.toString()).toBe(calendarText);
  });

  it('keeps every message when several are written at the same instant', async () => {
    const config = loadAppConfig({ DATA_DIR: dataDir });
    const mail = new MailService(config, clock);
    const message = { to: 'ada@example.org', subject: 'Reminder', text: 'See you soon.\n' };
    await Promise.all([mail.send(message), mail.send(message), mail.send(message)]);
    expect(readdirSync(outboxDir(config))).toHaveLength(3);
  });

  it('logs and rethrows when the SMTP server cannot be reached', async () => {
    const config = loadAppConfig({ SMTP_URL: `smtp://127.0.0.1:${await closedPort()}` });
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const mail = new MailService(config, clock);
    await expect(
      mail.send({ to: 'ada@example.org', subject: 'Reminder', text: 'See you soon.\n' }),
    ).rejects.toThrow(/ECONNREFUSED/);
    expect(error).toHaveBeenCalledWith(
      expect.stringContaining('Could not send "Reminder"'),
      expect.any(String),
    );
    expect(error).not.toHaveBeenCalledWith(
      expect.stringContaining('ada@example.org'),
      expect.anything(),
    );
  });
});
