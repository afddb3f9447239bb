import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsLocalDate, IsOneLine } from '../../common/validators';

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

export class HoursQueryDto {
  /** First local date, `YYYY-MM-DD`. */
  @IsLocalDate()
  from: string;

  /** Last local date, `YYYY-MM-DD`, at most 366 days after `from`. */
  @IsLocalDate()
  to: string;
}
