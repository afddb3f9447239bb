import { Transform } from 'class-transformer';
import { IsString, Length, Matches } from 'class-validator';
import { IMAGE_SRC_PATTERN } from '../image-format';

/** A picture on a page of ours: an image uploaded to `/api/images`, and what it shows. */
export class ImageRefDto {
  /** The `url` that `POST /api/images` answered: `/api/images/<sha256>.<ext>`. */
  @IsString()
  @Matches(IMAGE_SRC_PATTERN, {
    message:
      'src must be the url of an image uploaded to /api/images, e.g. /api/images/<sha256>.png',
  })
  src: string;

  /** What the picture shows, for people who cannot see it; one line, required. */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'alt must describe the picture in words' })
  @Length(1, 300, { message: 'alt must describe the picture in 1 to 300 characters' })
  @Matches(/^\P{Cc}*$/u, { message: 'alt must be one line of text' })
  alt: string;
}
