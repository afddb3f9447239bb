import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsOneLine, SLUG_PATTERN } from '../../common/validators';
import { ImageRefDto } from '../../images/dto/image-ref.dto';
import { EQUIPMENT_KINDS, type EquipmentKind } from '../equipment.entity';
import { PolicyDto } from './policy.dto';

export class CreateEquipmentDto {
  /** Lower-case words joined by hyphens, e.g. `podcast-studio`; fixed once created. */
  @Matches(SLUG_PATTERN, {
    message: 'slug must be lower-case letters and digits joined by hyphens, e.g. podcast-studio',
  })
  @MaxLength(80)
  slug: string;

  @IsString()
  @Length(1, 200)
  @IsOneLine()
  name: string;

  /** Category slug, e.g. `audio`. */
  @Matches(SLUG_PATTERN, { message: 'category must be a category slug, e.g. audio' })
  @MaxLength(60)
  category: string;

  /** Area slug, e.g. `teen-room`: whose desk, hours and closures apply; `dml` unless given. */
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: 'area must be an area slug, e.g. teen-room' })
  @MaxLength(60)
  area?: string;

  /** `station`: booked by the hour in the lab; `loan`: a kit borrowed for days. */
  @IsIn(EQUIPMENT_KINDS)
  kind: EquipmentKind;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  @IsOneLine()
  location?: string;

  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @IsOptional()
  @IsBoolean()
  requiresOrientation?: boolean;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(120)
  minAge?: number;

  /** Overrides of the category's booking policy. */
  @IsOptional()
  @ValidateNested()
  @Type(() => PolicyDto)
  policy?: PolicyDto;

  /** The label on the device or the kit's case, e.g. `DML-0017`; the desk scans it at check-out. */
  @IsOptional()
  @IsString()
  @Length(1, 40)
  @IsOneLine()
  assetTag?: string;

  /** Loan kits: the checklist of parts handed over and checked on return, each named once. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'parts must not name a part twice' })
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @IsOneLine({ each: true })
  parts?: string[];

  /** A photo of the device: an image uploaded to `/api/images`, with alt text. `null` removes it. */
  @IsOptional()
  @ValidateNested()
  @Type(() => ImageRefDto)
  @ApiProperty({ required: false, nullable: true, type: ImageRefDto })
  photo?: ImageRefDto | null;
}
