import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import type { BookingNotice, NoticeKind } from './booking-notice';
import { bookingCalendar, inviteMethodFor } from './ical';
import { MailService, errorMessage } from './mail.service';
import { composeNotice } from './notice-message';

export { outboxDir } from './mail.service';

/** Tells patrons about their bookings by e-mail, with the booking attached for their calendar. */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    private readonly mail: MailService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Sends the patron the notice of `kind`. Never throws: a booking must not fail because its
   * e-mail could not go out, so a failure is only logged.
   */
  async notify(kind: NoticeKind, notice: BookingNotice): Promise<void> {
    if (notice.patronEmail === null) return;
    try {
      const method = inviteMethodFor(notice);
      const { subject, text } = composeNotice(kind, notice, this.config);
      await this.mail.send({
        to: notice.patronEmail,
        subject,
        text,
        attachments: [
          {
            filename: 'booking.ics',
            content: bookingCalendar(notice, this.config, this.clock.now(), method),
            contentType: `text/calendar; charset=utf-8; method=${method}`,
          },
        ],
      });
    } catch (error) {
      this.logger.warn(
        `The ${kind} notice for booking ${notice.bookingId} was not sent: ${errorMessage(error)}`,
      );
    }
  }
}
