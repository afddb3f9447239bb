import { Transform } from 'class-transformer';
import { Equals, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { GROUP_PATTERN } from '../patron-groups';

/** What staff change on a patron; every field is optional and left as it is when absent. */
export class UpdatePatronDto {
  /**
   * The patron's group (`adult`, `teen`, `child`, or one of the library's patron types), up to 40
   * letters, digits, spaces, `.`, `_` or `-`; stored in lower case. `null` puts the patron back
   * in the group of their age.
   */
  @ValidateIf((body: UpdatePatronDto) => body.group !== undefined && body.group !== null)
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsString({ message: 'group must be text, or null to go by age' })
  @Matches(GROUP_PATTERN, {
    message:
      'group must be 1 to 40 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit',
  })
  group?: string | null;

  /**
   * `true` after seeing the patron's library card: they may book without confirming their e-mail.
   * A verification is not taken back (a patron who should not book is suspended instead).
   */
  @IsOptional()
  @Equals(true, { message: 'verified can only be true: a verification is not taken back' })
  verified?: boolean;
}
