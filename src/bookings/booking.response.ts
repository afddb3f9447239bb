import { ApiProperty } from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { formatInstant, formatNullableInstant } from '../common/time';
import type { Equipment } from '../equipment/equipment.entity';
import type { Booking, BookingStatus, DisplacementKind } from './booking.entity';

export class BookingPatron {
  id: string;
  name: string;
  cardNumber: string | null;
}

export class DisplacedReason {
  /** What the lab did: `outage`, `closure`, `hours`, `retired` or `out_of_service`. */
  kind: DisplacementKind;
  /** In words for the patron. */
  message: string;
}

export class BookingResponse {
  id: string;
  /** Read it out at the desk to check in. */
  code: string;
  /** Equipment slug. */
  equipment: string;
  equipmentName: string;
  location: string;
  start: string;
  end: string;
  status: BookingStatus;
  patron: BookingPatron;
  notes: string | null;
  createdAt: string;
  checkedInAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  /** Set when the status is `displaced`: why the lab took the time away. */
  displacedReason: DisplacedReason | null;
  /** Set while the status is `pending`: the booking lapses then unless staff decide it. */
  decideBy: string | null;
  /** Why staff denied it, or that nobody decided in time. */
  decisionReason: string | null;
  /** Answers to the equipment's booking questions, by question id. */
  @ApiProperty({
    type: 'object',
    nullable: true,
    additionalProperties: { oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }] },
    example: { project: 'A podcast interview', people: 3, music: false },
  })
  answers: Record<string, string | number | boolean> | null;
  /** When the patron accepted the equipment's terms of use. */
  termsAcceptedAt: string | null;
  /** The recurring series this booking belongs to, if any (`GET /api/series/:id`). */
  seriesId: string | null;
  /** Add this booking to a calendar app. */
  calendarUrl: string;
}

export function toBookingResponse(
  booking: Booking & { equipment: Equipment; patron: User },
  zone: string,
): BookingResponse {
  return {
    id: booking.id,
    code: booking.code,
    equipment: booking.equipment.slug,
    equipmentName: booking.equipment.name,
    location: booking.equipment.location,
    start: formatInstant(booking.start, zone),
    end: formatInstant(booking.end, zone),
    status: booking.status,
    patron: {
      id: booking.patron.id,
      name: booking.patron.name,
      cardNumber: booking.patron.cardNumber,
    },
    notes: booking.notes,
    createdAt: formatInstant(booking.createdAt, zone),
    checkedInAt: formatNullableInstant(booking.checkedInAt, zone),
    completedAt: formatNullableInstant(booking.completedAt, zone),
    cancelledAt: formatNullableInstant(booking.cancelledAt, zone),
    displacedReason: booking.displacedKind
      ? { kind: booking.displacedKind, message: booking.displacedReason ?? '' }
      : null,
    decideBy: booking.status === 'pending' ? formatNullableInstant(booking.decideBy, zone) : null,
    decisionReason: booking.decisionReason,
    answers: booking.answers ?? null,
    termsAcceptedAt: formatNullableInstant(booking.termsAcceptedAt, zone),
    seriesId: booking.seriesId ?? null,
    calendarUrl: `/api/bookings/${booking.id}/calendar.ics`,
  };
}
