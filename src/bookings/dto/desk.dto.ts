import {
  IsNotEmpty,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { IsOneLine } from '../../common/validators';

/** The desk scans a card or types the code the patron reads out. */
export class DeskCheckInDto {
  @ValidateIf((body: DeskCheckInDto) => body.cardNumber === undefined || body.code !== undefined)
  @IsString()
  @Length(4, 12, { message: 'code must be the 6-character booking code (or send cardNumber)' })
  code?: string;

  @IsOptional()
  @Matches(/^\d{6,20}$/, { message: 'cardNumber must be 6 to 20 digits' })
  cardNumber?: string;
}

export class CompleteBookingDto {
  /** Condition notes, missing parts, anything the next person should know. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}

export class DenyBookingDto {
  /** Why the lab cannot approve it, in words for the patron (it goes into their e-mail). */
  @IsString()
  @IsNotEmpty({ message: 'reason must say why the booking is declined' })
  @IsOneLine()
  @MaxLength(500)
  reason: string;
}
