import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { SLUG_PATTERN } from '../../common/validators';
import { EQUIPMENT_KINDS, type EquipmentKind } from '../equipment.entity';

export class EquipmentQueryDto {
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'category must be a category slug, e.g. audio' })
  @MaxLength(60)
  category?: string;

  /** Area slug, e.g. `teen-room`: only the devices in that area. */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'area must be an area slug, e.g. teen-room' })
  @MaxLength(60)
  area?: string;

  /** Words to find in the name, description or location. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @IsOptional()
  @IsIn(EQUIPMENT_KINDS)
  kind?: EquipmentKind;

  /** Include retired devices (history). */
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  @IsBoolean({ message: 'includeRetired must be true or false' })
  includeRetired?: boolean;
}
