import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsLocalDate, IsOneLine, SLUG_PATTERN } from '../../common/validators';
import { AreaQueryDto } from '../../areas/dto/area-query.dto';
import { PreviewQueryDto } from '../../bookings/dto/preview-query.dto';

const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export class OpeningIntervalDto {
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;

  /** `HH:mm`, library-local. */
  @Matches(CLOCK_TIME, { message: 'opens must be a time written HH:mm, e.g. 09:30' })
  opens: string;

  /** `HH:mm`, library-local, later than `opens`. */
  @Matches(CLOCK_TIME, { message: 'closes must be a time written HH:mm, e.g. 20:00' })
  closes: string;
}

export class WeeklyHoursDto {
  /** Every opening interval of the week; a weekday with none is closed. */
  @IsArray()
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  @Type(() => OpeningIntervalDto)
  intervals: OpeningIntervalDto[];
}

export class ClosureDto {
  /** Library-local date, `YYYY-MM-DD`. */
  @IsLocalDate()
  date: string;

  @IsString()
  @Length(1, 200)
  @IsOneLine()
  reason: string;
}

export class NewClosureDto extends ClosureDto {
  /** The area to close, e.g. `teen-room`; without it, the whole library (every area). */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'area must be an area slug, e.g. teen-room' })
  @MaxLength(60)
  area?: string;
}

export class ClosureQueryDto {
  /** The area closed; without it, the whole-library closure on that date. */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'area must be an area slug, e.g. teen-room' })
  @MaxLength(60)
  area?: string;
}

export class HoursQueryDto extends AreaQueryDto {
  /** First local date, `YYYY-MM-DD`. */
  @IsLocalDate()
  from: string;

  /** Last local date, `YYYY-MM-DD`, at most 366 days after `from`. */
  @IsLocalDate()
  to: string;
}

export class WeeklyChangeQueryDto extends PreviewQueryDto {
  /** The area whose week this is, e.g. `teen-room`; without it, the Digital Media Lab (`dml`). */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'area must be an area slug, e.g. teen-room' })
  @MaxLength(60)
  area?: string;
}
