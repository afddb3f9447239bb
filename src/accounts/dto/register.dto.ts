import { IsEmail, IsString, Length, Matches, MaxLength } from 'class-validator';
import { IsLocalDate, IsOneLine } from '../../common/validators';

export class RegisterDto {
  /** Library card number as printed under the barcode: digits only. */
  @Matches(/^\d{6,20}$/, { message: 'cardNumber must be 6 to 20 digits' })
  cardNumber: string;

  /** The card's PIN, 4 to 32 characters. */
  @IsString()
  @Length(4, 32)
  pin: string;

  @IsString()
  @Length(1, 200)
  @IsOneLine()
  name: string;

  @IsEmail()
  @MaxLength(254)
  email: string;

  /** `YYYY-MM-DD`. */
  @IsLocalDate()
  birthDate: string;
}
