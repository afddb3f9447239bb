import { BookingResponse } from './booking.response';

export class OutageResponse {
  id: string;
  start: string;
  end: string;
  reason: string;
}

export class CreatedOutageResponse {
  outage: OutageResponse;
  /** Bookings inside the outage: those displaced, and those in use now, left checked in. */
  collisions: BookingResponse[];
  /** For each displaced booking that has one: a like device at the same time, or the device's next free time. */
  alternatives: AlternativeResponse[];
  /** The live bookings the outage took away (now `displaced`); those in use are only collisions. */
  displaced: BookingResponse[];
}

export class AlternativeResponse {
  bookingId: string;
  equipment: string;
  equipmentName: string;
  start: string;
  end: string;
}
