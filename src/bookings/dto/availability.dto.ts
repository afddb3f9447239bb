import { IsOptional, Matches, MaxLength } from 'class-validator';
import { IsInstant, IsLocalDate, SLUG_PATTERN } from '../../common/validators';

export class DayAvailabilityQueryDto {
  /** Library-local date, `YYYY-MM-DD`. */
  @IsLocalDate()
  date: string;
}

export class FreeEquipmentQueryDto {
  /** ISO 8601 with an offset. */
  @IsInstant()
  start: string;

  /** ISO 8601 with an offset; after `start`. */
  @IsInstant()
  end: string;

  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'category must be a category slug, e.g. audio' })
  @MaxLength(60)
  category?: string;

  /** Only the devices of this area (its slug, e.g. `teen-room`). */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'area must be an area slug, e.g. teen-room' })
  @MaxLength(60)
  area?: string;
}
