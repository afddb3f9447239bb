import { IsOptional, Matches, MaxLength } from 'class-validator';
import { SLUG_PATTERN } from '../../common/validators';

/** `?area=`: one area of the library, by slug. */
export class AreaQueryDto {
  /** Area slug, e.g. `teen-room`; without it, the Digital Media Lab (`dml`). */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'area must be an area slug, e.g. teen-room' })
  @MaxLength(60)
  area?: string;
}
