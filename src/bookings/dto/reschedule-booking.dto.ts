import { IntersectionType, PartialType, PickType } from '@nestjs/swagger';
import { CreateBookingDto } from './create-booking.dto';

/**
 * A new time and, optionally, another device of the same category (`equipment`, a slug), such as
 * the studio next door; the same rules apply as to a new booking on that device.
 */
export class RescheduleBookingDto extends IntersectionType(
  PickType(CreateBookingDto, ['start', 'end'] as const),
  PartialType(PickType(CreateBookingDto, ['equipment'] as const)),
) {}
