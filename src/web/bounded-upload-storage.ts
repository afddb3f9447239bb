import type { Request } from 'express';
import type { Readable } from 'node:stream';

/** A file as the form sent it; `tooLarge` when it was over the limit and so not kept. */
export interface UploadedPart {
  fieldname: string;
  buffer: Buffer;
  size: number;
  tooLarge?: boolean;
}

interface IncomingFile {
  stream: Readable;
}

type Done = (error: Error | null, info?: Partial<UploadedPart>) => void;

/**
 * Multer storage that keeps a file in memory up to `limit` bytes. A larger file is read to its end
 * and dropped, marked `tooLarge`, so the form's other fields (the text typed around it) still
 * arrive and the page can come back with them and say what was too large. Multer's own
 * `fileSize` limit, set higher, still stops what is far too large to be a picture.
 */
export function boundedUploadStorage(limit: number) {
  return {
    _handleFile(_req: Request, file: IncomingFile, done: Done): void {
      const chunks: Buffer[] = [];
      let size = 0;
      file.stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= limit) chunks.push(chunk);
        else chunks.length = 0;
      });
      file.stream.on('error', (error: Error) => done(error));
      file.stream.on('end', () =>
        size > limit
          ? done(null, { buffer: Buffer.alloc(0), size, tooLarge: true })
          : done(null, { buffer: Buffer.concat(chunks), size }),
      );
    },
    _removeFile(_req: Request, file: Partial<UploadedPart>, done: (error: null) => void): void {
      delete file.buffer;
      done(null);
    },
  };
}
