import { IsString, Length } from 'class-validator';
import { IsInstant } from '../../common/validators';

export class CreateOutageDto {
  /** ISO 8601 with an offset. */
  @IsInstant()
  start: string;

  /** ISO 8601 with an offset; after `start`. */
  @IsInstant()
  end: string;

  /** What is wrong, for staff and for the patrons whose bookings it hits. */
  @IsString()
  @Length(1, 500)
  reason: string;
}
