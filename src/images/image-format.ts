export const IMAGE_TYPES = {
  png: 'image/png',
  jpg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
} as const;
export type ImageExtension = keyof typeof IMAGE_TYPES;

/** Largest upload, in bytes. */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** A stored image's file name: the SHA-256 of its bytes and the extension of its format. */
export const IMAGE_NAME_PATTERN = /^[0-9a-f]{64}\.(png|jpg|webp|gif)$/;

/** The only image addresses manuals and equipment may use: images uploaded here. */
export const IMAGE_SRC_PATTERN = /^\/api\/images\/[0-9a-f]{64}\.(png|jpg|webp|gif)$/;

export function imageUrl(name: string): string {
  return `/api/images/${name}`;
}

export interface ImageFormat {
  extension: ImageExtension;
  contentType: (typeof IMAGE_TYPES)[ImageExtension];
  width?: number;
  height?: number;
}

/** What a refused file turned out to be, in words for the librarian. */
export interface NotAnImage {
  found: string;
}

const starts = (bytes: Buffer, signature: string | number[], at = 0) => {
  const expected = typeof signature === 'string' ? Buffer.from(signature, 'latin1') : signature;
  return bytes.length >= at + expected.length && expected.every((b, i) => bytes[at + i] === b);
};

/**
 * Tells an image's format from its first bytes (its magic number), never from its name or the
 * type the browser claims: a page or an SVG renamed `.png` is still refused.
 */
export function sniffImage(bytes: Buffer): ImageFormat | NotAnImage {
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return withSize('png', starts(bytes, 'IHDR', 12) ? pngSize(bytes) : undefined);
  }
  if (starts(bytes, [0xff, 0xd8, 0xff])) return withSize('jpg', jpegSize(bytes));
  if (starts(bytes, 'GIF87a') || starts(bytes, 'GIF89a')) {
    return withSize('gif', bytes.length >= 10 ? gifSize(bytes) : undefined);
  }
  if (starts(bytes, 'RIFF') && starts(bytes, 'WEBP', 8)) return withSize('webp', webpSize(bytes));
  return { found: describe(bytes) };
}

export function isImage(result: ImageFormat | NotAnImage): result is ImageFormat {
  return 'extension' in result;
}

type Size = { width: number; height: number } | undefined;

function withSize(extension: ImageExtension, size: Size): ImageFormat {
  return { extension, contentType: IMAGE_TYPES[extension], ...(size ?? {}) };
}

function pngSize(bytes: Buffer): Size {
  return bytes.length >= 24
    ? { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) }
    : undefined;
}

function gifSize(bytes: Buffer): Size {
  return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
}

/** Walks the JPEG markers to the first start-of-frame, which holds the size. */
function jpegSize(bytes: Buffer): Size {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    const startOfFrame =
      marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (startOfFrame)
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    if (length < 2) return undefined;
    at += 2 + length;
  }
  return undefined;
}

function webpSize(bytes: Buffer): Size {
  if (bytes.length < 30) return undefined;
  if (starts(bytes, 'VP8X', 12))
    return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
  if (starts(bytes, 'VP8L', 12) && bytes[20] === 0x2f) {
    const bits = bytes.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  if (starts(bytes, 'VP8 ', 12) && starts(bytes, [0x9d, 0x01, 0x2a], 23))
    return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
  return undefined;
}

/** A name for what was sent instead of an image, for the refusal message. */
function describe(bytes: Buffer): string {
  if (bytes.length === 0) return 'an empty file';
  const head = bytes
    .subarray(0, 512)
    .toString('latin1')
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .toLowerCase();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!doctype svg|<svg)/.test(head)) return 'SVG';
  if (/^(<!doctype html|<html|<head|<body|<script|<!--)/.test(head)) return 'HTML';
  if (head.startsWith('<?xml')) return 'XML';
  if (starts(bytes, '%PDF')) return 'PDF';
  if (starts(bytes, 'PK\x03\x04')) return 'a ZIP archive (or an Office document)';
  if (starts(bytes, 'BM')) return 'a BMP image';
  if (starts(bytes, 'II*\0') || starts(bytes, 'MM\0*')) return 'a TIFF image';
  if (starts(bytes, 'ftyp', 4)) return 'a HEIC/AVIF image or a video';
  if (starts(bytes, [0x00, 0x00, 0x01, 0x00])) return 'an icon (ICO)';
  return 'a file of an unknown kind';
}
