import { BookingResponse } from '../bookings/booking.response';
import { ClosureDto } from './dto/hours.dto';

export class OpenIntervalResponse {
  start: string;
  end: string;
}

export class LocalHoursResponse {
  /** `HH:mm`, library-local. */
  opens: string;
  closes: string;
}

export class HoursDayResponse {
  /** Library-local date. */
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** False on a closure or a day with no hours. */
  isOpen: boolean;
  /** Local wall-clock hours. */
  hours: LocalHoursResponse[];
  open: OpenIntervalResponse[];
  /** Why the lab is closed that day, if it is a closure. */
  closure: string | null;
}

export class WeeklyIntervalResponse {
  weekday: number;
  opens: string;
  closes: string;
}

export class WeeklyChangeResponse {
  weekly: WeeklyIntervalResponse[];
  /** Bookings the new hours took away (now `displaced`; on a preview, would be). */
  displaced: BookingResponse[];
}

export class ClosureChangeResponse extends ClosureDto {
  /** Bookings on the closed day (now `displaced`; on a preview, would be). */
  displaced: BookingResponse[];
}
