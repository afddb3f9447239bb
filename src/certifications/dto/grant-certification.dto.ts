import { IsInt, IsOptional, Matches, Max, MaxLength, Min } from 'class-validator';
import { SLUG_PATTERN } from '../../common/validators';

export class GrantCertificationDto {
  /** Slug of the device the patron was shown. */
  @Matches(SLUG_PATTERN, { message: 'equipment must be an equipment slug, e.g. podcast-studio' })
  @MaxLength(80)
  equipment: string;

  /** Months until the patron must be shown again; omit for no expiry. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(120)
  validMonths?: number;
}
