import {
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { IsOneLine } from '../../common/validators';

// A PIN as at registration: 4 to 32 characters. Staff passwords: at least 12 characters, so
// guessing address by address gets nowhere (see the sign-in locks).
const PASSWORD_MESSAGE = 'password must be 12 to 200 characters';

/** "Forgot my PIN" with `cardNumber`, or "forgot my password" (staff) with `email`. */
export class RequestSecretResetDto {
  @ValidateIf(
    (body: RequestSecretResetDto) => body.email === undefined || body.cardNumber !== undefined,
  )
  @Matches(/^\d{6,20}$/, { message: 'cardNumber must be 6 to 20 digits (or send email)' })
  cardNumber?: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;
}

/** The token from the e-mailed link, and the new PIN (patrons) or password (staff). */
export class ConfirmSecretResetDto {
  @IsString()
  @Length(20, 100)
  token: string;

  @ValidateIf(
    (body: ConfirmSecretResetDto) => body.password === undefined || body.pin !== undefined,
  )
  @IsString()
  @Length(4, 32)
  pin?: string;

  /** At least 12 characters. */
  @ValidateIf(
    (body: ConfirmSecretResetDto) => body.pin === undefined || body.password !== undefined,
  )
  @IsString()
  @Length(12, 200, { message: PASSWORD_MESSAGE })
  password?: string;
}

export class ChangePinDto {
  @IsString()
  @Length(1, 32)
  currentPin: string;

  /** 4 to 32 characters. */
  @IsString()
  @Length(4, 32)
  pin: string;
}

export class ChangePasswordDto {
  @IsString()
  @Length(1, 200)
  currentPassword: string;

  /** At least 12 characters. */
  @IsString()
  @Length(12, 200, { message: PASSWORD_MESSAGE })
  password: string;
}

export const STAFF_ROLES = ['staff', 'librarian'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export class CreateStaffDto {
  @IsEmail()
  @MaxLength(254)
  email: string;

  @IsString()
  @Length(1, 200)
  @IsOneLine()
  name: string;

  /** `staff` (the desk) or `librarian`. */
  @IsIn(STAFF_ROLES)
  role: StaffRole;
}

export class UpdateStaffDto {
  @IsOptional()
  @IsIn(STAFF_ROLES)
  role?: StaffRole;

  /** `true` switches the account off and ends its sessions; `false` switches it back on. */
  @IsOptional()
  @IsIn([true, false])
  disabled?: boolean;
}
