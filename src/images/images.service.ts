import { Injectable, NotFoundException, UnsupportedMediaTypeException } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { User } from '../accounts/user.entity';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { storageException, storageFault } from '../database/storage-errors';
import { WriteTransactionService } from '../database/write-transaction.service';
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
 * Images of manual steps and equipment, as files under `<DATA_DIR>/images/` named by the SHA-256
 * of their bytes: the same image uploaded twice is one file, and a name never changes meaning,
 * so it can be cached for ever.
 */
@Injectable()
export class ImagesService {
  constructor(
    private readonly config: AppConfig,
    private readonly writes: WriteTransactionService,
    private readonly audit: AuditService,
  ) {}

  private get dir(): string {
    return join(this.config.dataDir, 'images');
  }

  async store(bytes: Buffer, by: User): Promise<StoredImage> {
    const format = sniffImage(bytes);
    if (!isImage(format))
      throw new UnsupportedMediaTypeException(
        `Only PNG, JPEG, WebP or GIF images can be uploaded; this file is ${format.found}.`,
      );
    const name = `${createHash('sha256').update(bytes).digest('hex')}.${format.extension}`;
    const path = join(this.dir, name);
    const existed = await this.present(path);
    if (!existed) await this.writeAtomically(path, bytes);
    await this.writes.run((manager) =>
      this.audit.record(manager, by, {
        action: 'image.uploaded',
        subjectType: 'image',
        subject: name,
        details: { bytes: bytes.length, contentType: format.contentType, alreadyStored: existed },
      }),
    );
    const { width, height } = format;
    return {
      url: imageUrl(name),
      contentType: format.contentType,
      bytes: bytes.length,
      width,
      height,
    };
  }

  /** The bytes and type of a stored image; only a name of the stored shape is joined to the folder. */
  async read(name: string): Promise<{ bytes: Buffer; contentType: string }> {
    if (!IMAGE_NAME_PATTERN.test(name)) throw new NotFoundException('There is no such image.');
    const extension = name.slice(name.lastIndexOf('.') + 1) as ImageExtension;
    try {
      return { bytes: await readFile(join(this.dir, name)), contentType: IMAGE_TYPES[extension] };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new NotFoundException('There is no such image.');
      throw error;
    }
  }

  /** The addresses in `srcs` that are not images uploaded here. */
  async missing(srcs: string[]): Promise<string[]> {
    const unknown: string[] = [];
    for (const src of new Set(srcs)) {
      const known =
        IMAGE_SRC_PATTERN.test(src) &&
        (await this.present(join(this.dir, src.slice(src.lastIndexOf('/') + 1))));
      if (!known) unknown.push(src);
    }
    return unknown;
  }

  /**
   * Written aside and renamed into place, so nobody is ever served half a file. A full or
   * unwritable folder is a `503` that says so, not a bare 500.
   */
  private async writeAtomically(path: string, bytes: Buffer): Promise<void> {
    const partial = `${path}.${randomBytes(6).toString('hex')}.partial`;
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(partial, bytes);
      await rename(partial, path);
    } catch (error) {
      const fault = storageFault(error);
      throw fault ? storageException(fault) : error;
    } finally {
      await rm(partial, { force: true }).catch(() => undefined);
    }
  }

  private async present(path: string): Promise<boolean> {
    return access(path).then(
      () => true,
      () => false,
    );
  }
}
