import type { EquipmentKind, EquipmentStatus } from '../equipment/equipment.entity';
import { ManualLink } from '../equipment/equipment.response';
import { OpenIntervalResponse } from '../hours/hours.response';
import { ReasonResponse, SlotResponse } from './availability.response';
import type { BookingStatus } from './booking.entity';

export class SchedulePatronResponse {
  name: string;
  cardNumber: string | null;
}

export class ScheduleBookingResponse {
  start: string;
  end: string;
  /** Always true: the time is held. */
  taken: true;
  /** Present (true) on the viewer's own bookings. */
  mine?: true;
  /** Staff only, like the three fields below. */
  id?: string;
  code?: string;
  status?: BookingStatus;
  patron?: SchedulePatronResponse;
}

export class ScheduleDeviceResponse {
  /** The device's area; its `open` follows that area's hours. */
  area: string;
  slug: string;
  name: string;
  category: string;
  kind: EquipmentKind;
  status: EquipmentStatus;
  location: string;
  /** The length of one slot of its grid. */
  slotMinutes: number;
  /** Its shortest booking: what a slot's `available` is judged by. */
  minMinutes: number;
  manuals: ManualLink[];
  open: OpenIntervalResponse[];
  /** The device's grid, as `GET /api/equipment/:slug/availability` answers it for this viewer. */
  slots: SlotResponse[];
  /** Whether the viewer could book any time of the device that day. */
  bookable: boolean;
  /** Present when one rule keeps the viewer from booking the device all day. */
  reason?: ReasonResponse;
  bookings: ScheduleBookingResponse[];
}

export class ScheduleResponse {
  date: string;
  /** The area whose hours and closure these are (`dml` when none was asked for). */
  area: string;
  timezone: string;
  /** The library's opening hours that day; empty when it is closed. */
  open: OpenIntervalResponse[];
  /** Why the library is closed that day, when a closure shuts it. */
  closure: string | null;
  devices: ScheduleDeviceResponse[];
}
