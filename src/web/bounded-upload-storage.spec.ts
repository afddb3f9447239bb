import type { Request } from 'express';
import { Readable } from 'node:stream';
import { boundedUploadStorage, type UploadedPart } from './bounded-upload-storage';

function store(limit: number, chunks: Buffer[]): Promise<Partial<UploadedPart>> {
  return new Promise((resolve, reject) => {
    boundedUploadStorage(limit)._handleFile(
      {} as Request,
      { stream: Readable.from(chunks) },
      (error, info) => (error ? reject(error) : resolve(info!)),
    );
  });
}

describe(boundedUploadStorage.name, () => {
  it('keeps a file up to the limit, bytes and all', async () => {
    const kept = await store(4, [Buffer.from('ab'), Buffer.from('cd')]);
    expect(kept).toEqual({ buffer: Buffer.from('abcd'), size: 4 });
  });

  it('reads a larger file to its end and keeps none of it, marked too large', async () => {
    const dropped = await store(4, [Buffer.from('ab'), Buffer.from('cd'), Buffer.from('e')]);
    expect(dropped).toEqual({ buffer: Buffer.alloc(0), size: 5, tooLarge: true });
  });
});
