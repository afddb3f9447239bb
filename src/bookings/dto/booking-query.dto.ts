import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsInstantOrDate, SLUG_PATTERN } from '../../common/validators';
import { BOOKING_STATUSES, type BookingStatus } from '../booking.entity';

export class BookingQueryDto {
  /** Bookings ending after this: a local date `YYYY-MM-DD` (its start) or an ISO 8601 instant. */
  @IsOptional()
  @IsInstantOrDate()
  from?: string;

  /** Bookings starting before this: a local date (its end) or an ISO 8601 instant. */
  @IsOptional()
  @IsInstantOrDate()
  to?: string;

  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'equipment must be an equipment slug, e.g. podcast-studio' })
  @MaxLength(80)
  equipment?: string;

  @IsOptional()
  @IsIn(BOOKING_STATUSES)
  status?: BookingStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}
