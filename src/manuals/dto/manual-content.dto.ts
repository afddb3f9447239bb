import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
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
import { DIFFICULTIES, type Difficulty, MAX_STEP_IMAGES } from '../manual-content';
import { NO_LEADING_IMAGE_LINE } from '../manual-source';

export class ManualStepDto {
  @IsString()
  @Length(1, 200)
  @IsOneLine()
  title: string;

  /** Markdown; blockquotes opening with **Note:**, **Caution:** or **Reminder:** become callouts. */
  @IsString()
  @MaxLength(20_000)
  @Matches(NO_LEADING_IMAGE_LINE, {
    message: "body must not open with an uploaded image: put it in the step's images, with its alt",
  })
  body: string;

  /** Up to 3 pictures of the step, shown with it. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_STEP_IMAGES, {
    message: `images must hold at most ${MAX_STEP_IMAGES} pictures`,
  })
  @ValidateNested({ each: true })
  @Type(() => ImageRefDto)
  @ApiProperty({ required: false, type: [ImageRefDto] })
  images: ImageRefDto[] = [];
}

export class ManualContentDto {
  @IsString()
  @Length(1, 200)
  @IsOneLine()
  title: string;

  @IsString()
  @Length(1, 1000)
  summary: string;

  @IsIn(DIFFICULTIES)
  difficulty: Difficulty;

  /** A range in minutes, `[min, max]`. */
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(2)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(1440, { each: true })
  @ApiProperty({
    type: 'array',
    items: { type: 'integer', minimum: 1, maximum: 1440 },
    minItems: 2,
    maxItems: 2,
    example: [15, 30],
  })
  estimatedMinutes: [number, number];

  /** Equipment slugs. */
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(SLUG_PATTERN, { each: true, message: 'each equipment must be an equipment slug' })
  equipment: string[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  @IsOneLine({ each: true })
  @ApiProperty({ required: false })
  bring: string[] = [];

  /** Manual slugs to read first. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(SLUG_PATTERN, { each: true, message: 'each prerequisite must be a manual slug' })
  @ApiProperty({ required: false })
  prerequisites: string[] = [];

  @IsOptional()
  @IsBoolean()
  @ApiProperty({ required: false })
  grantsCertification: boolean = false;

  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  @ApiProperty({ required: false })
  introduction: string = '';

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  @Type(() => ManualStepDto)
  steps: ManualStepDto[];

  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  @ApiProperty({ required: false })
  conclusion: string = '';
}

export class CreateManualDto extends ManualContentDto {
  /** Lower-case words joined by hyphens; fixed once created. */
  @Matches(SLUG_PATTERN, {
    message:
      'slug must be lower-case letters and digits joined by hyphens, e.g. podcast-studio-basics',
  })
  @MaxLength(80)
  slug: string;
}

export class PublishManualDto {
  /** The change alters how the device is used: patrons certified on an older revision re-read it. */
  @IsOptional()
  @IsBoolean()
  changesUsage?: boolean;

  /** What changed, for the history. */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class ManualQueryDto {
  /** Words to find in titles and step text. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ProgressDto {
  /** The step reached, 1-based; the last step finishes the walkthrough. */
  @IsInt()
  @Min(1)
  @Max(100)
  step: number;
}

export class DiffQueryDto {
  /** The older revision number. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  from: number;

  /** The newer revision number. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  to: number;
}

export class SendManualDto {
  /** The patron's library card number. */
  @Matches(/^\d{6,20}$/, { message: 'cardNumber must be 6 to 20 digits' })
  cardNumber: string;
}
