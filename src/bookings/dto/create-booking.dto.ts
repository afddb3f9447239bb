import {
  IsBoolean,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { IsInstant, IsOneLine, SLUG_PATTERN } from '../../common/validators';

export class CreateBookingDto {
  /** Slug of the station or kit, e.g. `podcast-studio`. */
  @Matches(SLUG_PATTERN, { message: 'equipment must be an equipment slug, e.g. podcast-studio' })
  @MaxLength(80)
  equipment: string;

  /** ISO 8601 with an offset, e.g. `2026-12-01T15:00:00-05:00`. */
  @IsInstant()
  start: string;

  /** ISO 8601 with an offset; after `start`. */
  @IsInstant()
  end: string;

  /** Staff only: the card of the patron the booking is for (a walk-in at the desk). */
  @IsOptional()
  @Matches(/^\d{6,20}$/, { message: 'cardNumber must be 6 to 20 digits' })
  cardNumber?: string;

  /**
   * Staff only: set aside a booking rule for this booking (a quota, a daily limit, notice, the
   * advance window, length, age, orientation or a pause), saying why; the audit trail keeps the
   * reason and the rules set aside. Overlap, opening hours and closures are never set aside.
   */
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'overrideReason must say why the rule is set aside' })
  @IsOneLine()
  @MaxLength(500)
  overrideReason?: string;

  /** Answers to the equipment's booking questions (`policy.questions`), by question id. */
  @IsOptional()
  @IsObject({ message: 'answers must be an object of answers by question id' })
  answers?: Record<string, string | number | boolean>;

  /** `true` when the patron has read and accepted the equipment's terms (`policy.terms`). */
  @IsOptional()
  @IsBoolean()
  acceptTerms?: boolean;
}
