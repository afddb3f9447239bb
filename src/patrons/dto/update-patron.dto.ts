import { Equals, IsOptional } from 'class-validator';

/** What staff change on a patron; each field present is applied, the others are left as they are. */
export class UpdatePatronDto {
  /**
   * `true` after seeing the patron's library card: they may book without confirming their e-mail.
   * A verification is not taken back (a patron who should not book is suspended instead).
   */
  @IsOptional()
  @Equals(true, { message: 'verified can only be true: a verification is not taken back' })
  verified?: boolean;
}
