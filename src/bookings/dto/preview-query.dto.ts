import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';

/** `?preview=true` on a change by the lab: say what it would displace, change nothing. */
export class PreviewQueryDto {
  /** `true` to see the bookings the change would displace without making it. */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'preview must be true or false' })
  preview?: boolean;
}
