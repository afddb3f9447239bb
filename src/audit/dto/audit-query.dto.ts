import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { IsInstant } from '../../common/validators';

export class AuditQueryDto {
  /** Events at or after this instant. */
  @IsOptional()
  @IsInstant()
  from?: string;

  /** Events before this instant. */
  @IsOptional()
  @IsInstant()
  to?: string;

  /** e.g. `booking.cancelled`. */
  @IsOptional()
  @Matches(/^[a-z_]+\.[a-z_]+$/, { message: 'action must look like booking.cancelled' })
  action?: string;

  /** A booking id or code, equipment or manual slug, or card number. */
  @IsOptional()
  @IsString()
  @MaxLength(120)
  subject?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}
