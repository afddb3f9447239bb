import { Injectable } from '@nestjs/common';
import type { Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import type { Equipment } from '../equipment/equipment.entity';
import type { BookingNotice, NoticeKind } from '../notifications/booking-notice';
import { EquipmentService } from '../equipment/equipment.service';
import { NotificationsService } from '../notifications/notifications.service';
import type { Booking } from './booking.entity';

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

/** Turns a booking into the e-mail its patron gets; a mail failure never undoes a booking. */
@Injectable()
export class BookingNotifier {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly equipment: EquipmentService,
  ) {}

  /** Tells the patron, with links to the device's walkthroughs. */
  async tell(kind: NoticeKind, booking: BookingWithParties, extra?: string): Promise<void> {
    const links = await this.equipment.manualLinks([booking.equipmentId]);
    const manuals = links.get(booking.equipmentId) ?? [];
    const notice = toNotice(
      booking,
      manuals.map((m) => m.slug),
    );
    await this.notifications.notify(kind, { ...notice, extra });
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
