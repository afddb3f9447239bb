import { IsIn, IsOptional } from 'class-validator';

/** What staff change on a patron; each field present is applied, the others are left as they are. */
export class UpdatePatronDto {
  /** `true` after seeing the patron's library card: they may book without confirming their e-mail. */
  @IsOptional()
  @IsIn([true, false])
  verified?: boolean;
}
