import { IsIn, IsOptional, Matches, MaxLength } from 'class-validator';
import { IsLocalDate, SLUG_PATTERN } from '../../common/validators';

export class UsageQueryDto {
  /** First local date of the period, `YYYY-MM-DD`. */
  @IsLocalDate()
  from: string;

  /** Last local date of the period, inclusive. */
  @IsLocalDate()
  to: string;

  /** Only the devices of this area (its slug, e.g. `teen-room`). */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'area must be an area slug, e.g. teen-room' })
  @MaxLength(60)
  area?: string;

  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
