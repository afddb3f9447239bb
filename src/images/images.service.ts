import {
  Injectable,
  Logger,
  NotFoundException,
  OnApplicationBootstrap,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { In, Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { WriteTransactionService } from '../database/write-transaction.service';
import { Image } from './image.entity';
import {
  IMAGE_NAME_PATTERN,
  IMAGE_SRC_PATTERN,
  IMAGE_TYPES,
  ImageExtension,
  imageUrl,
  isImage,
  sniffImage,
} from './image-format';

export interface StoredImage {
  /** Where the image is served: `/api/images/<sha256>.<ext>`. */
  url: string;
  contentType: string;
  bytes: number;
  width?: number;
  height?: number;
}

/**
 * Images of manual steps and equipment, kept in the `images` table and named by the SHA-256 of
 * their bytes: the same image uploaded twice is one row, and a name never changes meaning, so it
 * can be cached for ever. Instances with different `DATA_DIR`s serve each other's uploads.
 */
@Injectable()
export class ImagesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(ImagesService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @InjectRepository(Image) private readonly images: Repository<Image>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.importFiles();
  }

  async store(bytes: Buffer, by: User): Promise<StoredImage> {
    const format = sniffImage(bytes);
    if (!isImage(format))
      throw new UnsupportedMediaTypeException(
        `Only PNG, JPEG, WebP or GIF images can be uploaded; this file is ${format.found}.`,
      );
    const name = `${createHash('sha256').update(bytes).digest('hex')}.${format.extension}`;
    const row = { name, contentType: format.contentType, bytes, createdAt: this.clock.now() };
    await this.writes.run(async (manager) => {
      const existed = await manager.existsBy(Image, { name });
      // Two instances storing the same bytes at once both succeed: the name is the content.
      if (!existed)
        await manager.createQueryBuilder().insert().into(Image).values(row).orIgnore().execute();
      await this.audit.record(manager, by, {
        action: 'image.uploaded',
        subjectType: 'image',
        subject: name,
        details: { bytes: bytes.length, contentType: format.contentType, alreadyStored: existed },
      });
    });
    const { width, height } = format;
    return {
      url: imageUrl(name),
      contentType: format.contentType,
      bytes: bytes.length,
      width,
      height,
    };
  }

  /** The bytes and type of a stored image. */
  async read(name: string): Promise<{ bytes: Buffer; contentType: string }> {
    if (!IMAGE_NAME_PATTERN.test(name)) throw new NotFoundException('There is no such image.');
    const image = await this.images.findOne({
      where: { name },
      select: { contentType: true, bytes: true },
    });
    if (!image) throw new NotFoundException('There is no such image.');
    return { bytes: Buffer.from(image.bytes), contentType: image.contentType };
  }

  /** The addresses in `srcs` that are not images uploaded here. */
  async missing(srcs: string[]): Promise<string[]> {
    const unique = [...new Set(srcs)];
    const names = unique
      .filter((src) => IMAGE_SRC_PATTERN.test(src))
      .map((src) => src.slice(src.lastIndexOf('/') + 1));
    const known = new Set(
      names.length === 0
        ? []
        : (await this.images.find({ where: { name: In(names) }, select: { name: true } })).map(
            (image) => image.name,
          ),
    );
    return unique.filter((src) => !known.has(src.slice(src.lastIndexOf('/') + 1)));
  }

  /**
   * Copies the images an older release kept as files under `<DATA_DIR>/images/` into the table,
   * once each: a file whose bytes do not match its name is left out. The files stay where they
   * are; nothing reads them after this.
   */
  async importFiles(): Promise<number> {
    const dir = join(this.config.dataDir, 'images');
    const files = await readdir(dir).catch(() => [] as string[]);
    const candidates = files.filter((file) => IMAGE_NAME_PATTERN.test(file));
    if (candidates.length === 0) return 0;
    const present = new Set(
      (await this.images.find({ where: { name: In(candidates) }, select: { name: true } })).map(
        (image) => image.name,
      ),
    );
    let imported = 0;
    for (const name of candidates.filter((file) => !present.has(file))) {
      const bytes = await readFile(join(dir, name)).catch(() => null);
      if (!bytes || `${createHash('sha256').update(bytes).digest('hex')}.` !== name.slice(0, 65)) {
        this.logger.warn(`Not importing ${name} from ${dir}: its bytes do not match its name.`);
        continue;
      }
      const extension = name.slice(name.lastIndexOf('.') + 1) as ImageExtension;
      const row = { name, contentType: IMAGE_TYPES[extension], bytes, createdAt: this.clock.now() };
      try {
        await this.writes.run((manager) =>
          manager.createQueryBuilder().insert().into(Image).values(row).orIgnore().execute(),
        );
        imported += 1;
      } catch (error) {
        // The service still starts (a read-only database serves what it has); the next start tries again.
        this.logger.warn(`Could not import ${name} from ${dir}: ${(error as Error).message}`);
      }
    }
    if (imported > 0)
      this.logger.log(`Imported ${imported} image files from ${dir} into the database.`);
    return imported;
  }
}
