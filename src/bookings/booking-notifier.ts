import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BookingNotice, NoticeKind } from '../notifications/booking-notice';
import { EquipmentService } from '../equipment/equipment.service';
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
    private readonly equipment: EquipmentService,
    private readonly bookings: BookingsRepository,
  ) {}

  /** Queues the patron's notice about the booking as it now stands, with the device's walkthroughs. */
  async tell(
    manager: EntityManager,
    kind: NoticeKind,
    bookingId: string,
    extra?: string,
    held = false,
  ): Promise<string> {
    const booking = await this.bookings.getWithParties(bookingId, manager);
    const links = await this.equipment.manualLinks([booking.equipmentId], manager);
    const manuals = links.get(booking.equipmentId) ?? [];
    const notice = toNotice(
      booking,
      manuals.map((m) => m.slug),
    );
    return this.outbox.queueNotice(manager, kind, { ...notice, extra }, held);
  }

  /** Sends a notice queued `held`, with the paragraph only known after the commit. */
  async release(manager: EntityManager, noticeId: string, extra: string): Promise<void> {
    await this.outbox.release(manager, noticeId, extra);
  }
}

export function toNotice(booking: BookingWithParties, manualSlugs: string[]): BookingNotice {
  return {
    bookingId: booking.id,
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
