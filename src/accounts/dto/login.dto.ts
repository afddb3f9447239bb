import {
  IsEmail,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';

/** Patrons sign in with `cardNumber` and `pin`; staff and librarians with `email` and `password`. */
export class LoginDto {
  // Checked whenever it is sent (null included), and required when there is no email.
  @ValidateIf((body: LoginDto) => body.email === undefined || body.cardNumber !== undefined)
  @Matches(/^\d{6,20}$/, {
    message: 'cardNumber must be 6 to 20 digits (or sign in with email and password)',
  })
  cardNumber?: string;

  @ValidateIf((body: LoginDto) => body.cardNumber !== undefined)
  @IsString()
  @Length(1, 32)
  pin?: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ValidateIf((body: LoginDto) => body.email !== undefined)
  @IsString()
  @Length(1, 200)
  password?: string;
}
