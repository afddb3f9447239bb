import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Clock } from '../common/clock';
import { AppConfig, loadAppConfig } from '../config/app-config';
import { bookingNotice } from './booking-notice.factory';
import { MailService, type OutgoingMail } from './mail.service';
import { NotificationsService } from './notifications.service';

describe(NotificationsService.name, () => {
  let notifications: NotificationsService;
  let send: jest.Mock<Promise<void>, [OutgoingMail]>;

  beforeEach(async () => {
    send = jest.fn<Promise<void>, [OutgoingMail]>().mockResolvedValue(undefined);
    const moduleRef = await Test.createTestingModule({
      providers: [
        NotificationsService,
        { provide: MailService, useValue: { send } },
        {
          provide: AppConfig,
          useValue: loadAppConfig({ PUBLIC_URL: 'https://lab.library.example' }),
        },
        { provide: Clock, useValue: { now: () => new Date('2026-11-20T14:30:00Z') } },
      ],
    }).compile();
    notifications = moduleRef.get(NotificationsService);
  });

  afterEach(() => jest.restoreAllMocks());

  it('mails the patron the notice with the booking attached as a calendar request', async () => {
    await notifications.notify('confirmed', bookingNotice());
    expect(send).toHaveBeenCalledTimes(1);
    const [mail] = send.mock.calls[0];
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

  it('attaches a cancellation so calendars drop the booking', async () => {
    await notifications.notify('cancelled', bookingNotice({ status: 'cancelled', sequence: 1 }));
    const attachment = send.mock.calls[0][0].attachments?.[0];
    expect(attachment?.contentType).toBe('text/calendar; charset=utf-8; method=CANCEL');
    expect(String(attachment?.content)).toContain('STATUS:CANCELLED\r\n');
  });

  it('sends nothing to a patron without an e-mail address', async () => {
    await notifications.notify('confirmed', bookingNotice({ patronEmail: null }));
    expect(send).not.toHaveBeenCalled();
  });

  it('does not fail the booking when the mail cannot go out, and logs it', async () => {
    send.mockRejectedValue(new Error('connect ECONNREFUSED 127.0.0.1:25'));
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    await expect(notifications.notify('confirmed', bookingNotice())).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('ECONNREFUSED'));
  });
});
