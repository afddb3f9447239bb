import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BookingNotice, NoticeKind } from '../notifications/booking-notice';
import { OutboxService } from '../notifications/outbox.service';
import { BookingsRepository, type BookingWithParties } from './bookings.repository';

export { type BookingWithParties, PARTIES } from './bookings.repository';

/**
 * Turns a booking into the e-mail its patron gets. The notice is queued in the transaction of the
 * change it reports and delivered by the outbox afterwards, so a slow or failing mail server never
 * holds up or undoes a booking, and a change is never without its notice.
 */
@Injectable()
export class BookingNotifier {
  constructor(
    private readonly outbox: OutboxService,
    private readonly bookings: BookingsRepository,
  ) {}

  /**
   * Queues the patron's notice about the booking as it now stands: read again by its id, or as
   * given by a caller that has just written all of it. The device's walkthroughs are looked up by
   * the outbox as it writes the e-mail, not here in the change's transaction.
   */
  async tell(
    manager: EntityManager,
    kind: NoticeKind,
    booking: string | BookingWithParties,
    extra?: string,
    held = false,
  ): Promise<string> {
    const current =
      typeof booking === 'string' ? await this.bookings.getWithParties(booking, manager) : booking;
    return this.outbox.queueNotice(manager, kind, { ...toNotice(current), extra }, held);
  }

  /** Sends a notice queued `held`, with the paragraph only known after the commit. */
  async release(manager: EntityManager, noticeId: string, extra: string): Promise<void> {
    await this.outbox.release(manager, noticeId, extra);
  }
}

export function toNotice(booking: BookingWithParties, manualSlugs?: string[]): BookingNotice {
  return {
    bookingId: booking.id,
    deviceId: booking.equipmentId,
    code: booking.code,
    status: booking.status,
    start: booking.start,
    end: booking.end,
    deviceName: booking.equipment.name,
    deviceSlug: booking.equipment.slug,
    location: booking.equipment.location,
    patronName: booking.patron.name,
    patronEmail: booking.patron.email,
    manualSlugs,
    sequence: booking.sequence,
    loanKit: booking.equipment.kind === 'loan',
    displacedKind: booking.displacedKind,
  };
}
