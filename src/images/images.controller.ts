import {
  BadRequestException,
  CallHandler,
  Controller,
  ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  NestInterceptor,
  Param,
  PayloadTooLargeException,
  Post,
  Res,
  StreamableFile,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { catchError, Observable, throwError } from 'rxjs';
import type { User } from '../accounts/user.entity';
import { CurrentUser, Public, Roles } from '../common/decorators/auth.decorators';
import { IMAGE_NAME_PATTERN, MAX_IMAGE_BYTES } from './image-format';
import { ImagesService } from './images.service';
import { ImageResponse } from './image.response';
import { ApiFileResponse } from '../common/openapi';

/** What multer hands over for the `file` field (memory storage). */
interface UploadedImage {
  buffer: Buffer;
  size: number;
}

const MAX_MB = MAX_IMAGE_BYTES / (1024 * 1024);

/** Says in plain words what multer's "File too large" means. */
@Injectable()
export class ImageTooLarge implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          throwError(() =>
            error instanceof PayloadTooLargeException
              ? new PayloadTooLargeException(
                  `The image is larger than ${MAX_MB} MB: make it smaller and upload it again.`,
                )
              : error,
          ),
        ),
      );
  }
}

@ApiTags('images')
@Controller('api/images')
export class ImagesController {
  constructor(private readonly images: ImagesService) {}

  /**
   * Upload a PNG, JPEG, WebP or GIF image (at most 5 MB) as the multipart field `file`. The bytes
   * decide the format: SVG and anything else answer 415.
   */
  @Roles('librarian')
  @Post()
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary' } },
    },
  })
  @UseInterceptors(
    ImageTooLarge,
    FileInterceptor('file', {
      limits: { fileSize: MAX_IMAGE_BYTES, files: 1, fields: 0, parts: 2 },
    }),
  )
  async upload(
    @UploadedFile() file: UploadedImage | undefined,
    @CurrentUser() librarian: User,
  ): Promise<ImageResponse> {
    if (!file?.buffer)
      throw new BadRequestException(
        'file is required: send the image as the multipart field "file"',
      );
    return this.images.store(file.buffer, librarian);
  }

  /** A stored image; its name is the SHA-256 of its bytes, so it never changes. */
  @Public()
  @Get(':name')
  @ApiFileResponse('image/png', 'image/jpeg', 'image/webp', 'image/gif')
  async get(
    @Param('name') name: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    if (!IMAGE_NAME_PATTERN.test(name))
      throw new BadRequestException(
        'name must be an image name as uploads give it: 64 hexadecimal digits and .png, .jpg, .webp or .gif',
      );
    const image = await this.images.read(name);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    return new StreamableFile(image.bytes, { type: image.contentType, length: image.bytes.length });
  }
}
