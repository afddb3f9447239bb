import { Transform } from 'class-transformer';
import { IsString, Matches, ValidateIf } from 'class-validator';
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
}
