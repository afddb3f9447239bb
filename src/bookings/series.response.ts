import { ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { BookingResponse } from './booking.response';

export class SeriesRepeat {
  every: 'day' | 'week';
  count: number | null;
  until: string | null;
}

export class SeriesConflictResponse {
  start: string;
  end: string;
  /** The refusal a single booking of that time would get, e.g. `SLOT_TAKEN`, `CLOSED`. */
  code: string;
  message: string;
}

export class PlannedBooking {
  start: string;
  end: string;
}

export class SeriesResponse {
  id: string;
  /** Equipment slug. */
  equipment: string;
  title: string | null;
  repeat: SeriesRepeat;
  bookings: BookingResponse[];
}

export class SeriesCreatedResponse {
  /** Null on a dry run. */
  id: string | null;
  /** The bookings made; on a dry run, the times that would be booked. */
  @ApiProperty({
    type: 'array',
    items: {
      oneOf: [{ $ref: getSchemaPath(BookingResponse) }, { $ref: getSchemaPath(PlannedBooking) }],
    },
  })
  created: (BookingResponse | PlannedBooking)[];
  conflicts: SeriesConflictResponse[];
}
