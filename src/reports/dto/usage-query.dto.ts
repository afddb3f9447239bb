import { IsIn, IsOptional } from 'class-validator';
import { IsLocalDate } from '../../common/validators';

export class UsageQueryDto {
  /** First local date of the period, `YYYY-MM-DD`. */
  @IsLocalDate()
  from: string;

  /** Last local date of the period, inclusive. */
  @IsLocalDate()
  to: string;

  @IsOptional()
  @IsIn(['json', 'csv'])
  format?: 'json' | 'csv';
}
