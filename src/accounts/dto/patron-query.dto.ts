import { IsOptional, IsString, Length } from 'class-validator';

export class PatronQueryDto {
  /** Whole or leading part of a card number, or part of a name. */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  card?: string;
}
