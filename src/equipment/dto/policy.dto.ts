import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

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
}
