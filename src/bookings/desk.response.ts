import { BookingResponse } from './booking.response';

export class DeskCheckInResponse {
  checkedIn: BookingResponse[];
}
