import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  MaxLength,
  ValidateNested,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { GROUP_PATTERN } from '../../accounts/patron-groups';
import { IsOneLine, SLUG_PATTERN } from '../../common/validators';
import { QUESTION_TYPES, type QuestionType } from '../policy';

/** A question asked when booking. */
export class BookingQuestionDto {
  /** Short id the answers are keyed by, e.g. `project`. */
  @Matches(SLUG_PATTERN, { message: 'policy.questions.id must be a short id such as project' })
  @MaxLength(40)
  id: string;

  @IsString()
  @IsNotEmpty({ message: 'policy.questions.label must say what is asked' })
  @IsOneLine()
  @MaxLength(200)
  label: string;

  @IsIn(QUESTION_TYPES, {
    message: `policy.questions.type must be one of ${QUESTION_TYPES.join(', ')}`,
  })
  type: QuestionType;

  @IsBoolean()
  required: boolean;

  /** The choices, for `choice`. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  options?: string[];
}

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

  /** The oldest age that may book (a teen-only device: 18); older patrons are refused with `TOO_OLD`. */
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  maxAge?: number;

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

  /** Questions asked on booking (an empty list: none); answers are kept with the booking. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => BookingQuestionDto)
  questions?: BookingQuestionDto[];

  /** Terms a patron must accept to book (`acceptTerms: true`); empty text: none. */
  @IsOptional()
  @IsString()
  @MaxLength(4000)
  terms?: string;
}
