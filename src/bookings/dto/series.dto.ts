import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsInstant, IsLocalDate, IsOneLine, SLUG_PATTERN } from '../../common/validators';

export class RepeatDto {
  /** `week` (same weekday and time each week) or `day`. */
  @IsIn(['day', 'week'], { message: 'repeat.every must be "day" or "week"' })
  every: 'day' | 'week';

  /** How many bookings in all, the first included (up to 100). */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  count?: number;

  /** The last local date (`YYYY-MM-DD`) a booking may fall on. */
  @IsOptional()
  @IsLocalDate()
  until?: string;
}

export class CreateSeriesDto {
  @Matches(SLUG_PATTERN, { message: 'equipment must be an equipment slug, e.g. podcast-studio' })
  @MaxLength(80)
  equipment: string;

  /** The first booking's start, ISO 8601 with an offset. */
  @IsInstant()
  start: string;

  /** The first booking's end. */
  @IsInstant()
  end: string;

  @ValidateNested()
  @Type(() => RepeatDto)
  repeat: RepeatDto;

  /** The patron the series is for; leave out for a lab programme (then give a title). */
  @IsOptional()
  @Matches(/^\d{6,20}$/, { message: 'cardNumber must be 6 to 20 digits' })
  cardNumber?: string;

  /** A programme's name, e.g. "Teen podcast club". */
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'title must not be empty' })
  @IsOneLine()
  @MaxLength(200)
  title?: string;

  /** Make the bookings that fit and list the rest, instead of making none. */
  @IsOptional()
  @IsBoolean()
  skipConflicts?: boolean;
}

export class CancelSeriesDto {
  /** Cancel the occurrences on and after this local date; from now when left out. */
  @IsOptional()
  @IsLocalDate()
  from?: string;
}

/** `?dryRun=true`: list what would be booked and what clashes, booking nothing. */
export class SeriesQueryDto {
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'dryRun must be true or false' })
  dryRun?: boolean;
}
