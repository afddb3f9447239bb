import { IsOptional, Matches, MaxLength } from 'class-validator';
import { IsLocalDate, SLUG_PATTERN } from '../../common/validators';

export class ScheduleQueryDto {
  /** Library-local date, `YYYY-MM-DD`; today when left out. */
  @IsOptional()
  @IsLocalDate()
  date?: string;

  /** Only the devices of this area (its slug, e.g. `teen-room`), with its hours and closure. */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'area must be an area slug, e.g. teen-room' })
  @MaxLength(60)
  area?: string;

  /** Only the devices of this category (its slug, e.g. `audio`). */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'category must be a category slug, e.g. audio' })
  @MaxLength(60)
  category?: string;
}
