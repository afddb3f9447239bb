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
  /** The area these hours are for. */
  area: string;
  /** Library-local date. */
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  /** False on a closure or a day with no hours. */
  isOpen: boolean;
  /** Local wall-clock hours. */
  hours: LocalHoursResponse[];
  open: OpenIntervalResponse[];
  /** Why the area is closed that day, if it is a closure (its own or the whole library's). */
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

export class ClosureResponse extends ClosureDto {
  /** The area closed; null when the whole library is. */
  area: string | null;
}

export class ClosureChangeResponse extends ClosureResponse {
  /** Bookings on the closed day (now `displaced`; on a preview, would be). */
  displaced: BookingResponse[];
}
