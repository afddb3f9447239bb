import { IsString, Length } from 'class-validator';
import { RequestSecretResetDto } from './secret.dto';

/** The token from the confirmation link, `PUBLIC_URL/verify?token=…`. */
export class VerifyEmailDto {
  @IsString()
  @Length(20, 100)
  token: string;
}

/** A new confirmation link for the patron with this card number, or with this e-mail address. */
export class ResendVerificationDto extends RequestSecretResetDto {}
