import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  IsBoolean,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';

export class ReturnLoanDto {
  /** How the kit came back, e.g. `Good; small scratch on the lens hood`. */
  @IsString()
  @Length(1, 2000)
  @Matches(/\S/, { message: 'condition must say how the kit came back' })
  condition: string;

  /** Parts handed over with the kit that did not come back. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique({ message: 'missingParts must not name a part twice' })
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  missingParts?: string[];

  /**
   * The kit came back broken or not working. A damaged kit, or one with parts missing, goes out of
   * service until staff set it back to `available`.
   */
  @IsOptional()
  @IsBoolean()
  damaged?: boolean;

  /** Anything else the next borrower or the librarians should know. */
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  notes?: string;
}
