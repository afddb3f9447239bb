import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { GROUP_PATTERN } from '../../accounts/patron-groups';

/** Any subset of the booking policy; unset fields come from the category. */
export class PolicyDto {
  /** Bookings start and end on this grid, in minutes. */
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(1440 * 7)
  slotMinutes?: number;

  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(1440 * 60)
  minMinutes?: number;

  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(1440 * 60)
  maxMinutes?: number;

  /** Time kept free after each booking (cleaning, cooling, resetting). */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1440)
  bufferMinutes?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(366)
  maxAdvanceDays?: number;

  /** How long before the start a booking must be made. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1440 * 30)
  minNoticeMinutes?: number;

  /** Upcoming bookings a patron may hold on this device at once. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  maxActivePerPatron?: number;

  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(1440 * 7 * 60)
  maxMinutesPerWeek?: number;

  /** Minutes a patron may book a day across this category's devices (optional). */
  @IsOptional()
  @IsInt()
  @Min(5)
  @Max(1440)
  maxMinutesPerDay?: number;

  /** Patrons' bookings wait as `pending`, holding their time, until staff approve or deny them. */
  @IsOptional()
  @IsBoolean()
  requiresApproval?: boolean;

  /** Hours staff have to decide before a pending booking lapses (never past its start); 48 if unset. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  approvalHours?: number;

  /**
   * The patron groups that may book (`adult`, `teen`, `child` or the ILS's patron types, compared
   * in lower case); others are refused with `GROUP_RESTRICTED`. An empty list lets every group book.
   */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value)
      ? value.map((v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : v))
      : value,
  )
  @IsArray({ message: 'policy.groups must be a list of group names' })
  @ArrayMaxSize(30)
  @IsString({ each: true, message: 'policy.groups must hold group names' })
  @Matches(GROUP_PATTERN, {
    each: true,
    message: 'policy.groups names are 1 to 40 letters, digits, spaces, dots, dashes or underscores',
  })
  groups?: string[];
}
