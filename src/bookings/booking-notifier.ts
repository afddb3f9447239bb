import { Injectable } from '@nestjs/common';
import type { EntityManager, Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import type { Equipment } from '../equipment/equipment.entity';
import type { BookingNotice, NoticeKind } from '../notifications/booking-notice';
import { EquipmentService } from '../equipment/equipment.service';
import { OutboxService } from '../notifications/outbox.service';
import { Booking } from './booking.entity';

export type BookingWithParties = Booking & { equipment: Equipment; patron: User };

/** The relations every booking response and e-mail needs: the device (with category) and patron. */
export const PARTIES = { equipment: { category: true }, patron: true } as const;

/** A booking known to exist, with its device and patron. */
export async function loadWithParties(
  bookings: Repository<Booking>,
  id: string,
): Promise<BookingWithParties> {
  return await bookings.findOneOrFail({
    where: { id },
    relations: PARTIES,
  });
}

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
  ) {}

  /** Queues the patron's notice about the booking as it now stands, with the device's walkthroughs. */
  async tell(
    manager: EntityManager,
    kind: NoticeKind,
    bookingId: string,
    extra?: string,
  ): Promise<void> {
    const booking = await manager.findOneOrFail(Booking, {
      where: { id: bookingId },
      relations: PARTIES,
    });
    const links = await this.equipment.manualLinks([booking.equipmentId], manager);
    const manuals = links.get(booking.equipmentId) ?? [];
    const notice = toNotice(
      booking,
      manuals.map((m) => m.slug),
    );
    await this.outbox.queueNotice(manager, kind, { ...notice, extra });
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
