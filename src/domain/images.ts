import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from './errors.js';
import type { ImageBlob, ImageRef } from './records.js';
import { parseInput } from './validation.js';

/**
 * An image as a client sends it: a URL, or base64 data with its MIME type (GraphQL ImageInput is derived from it).
 * What depends on the server's limits and on the other field is checked by parseImages.
 */
export const imageInputSchema = z.object({
  url: z.string().nullish().describe('An http(s) URL the model fetches the image from.'),
  data: z.string().nullish().describe('The image bytes, base64; stored once with the thread.'),
  mimeType: z.string().nullish().describe('MIME type of data: image/png, image/jpeg, image/gif or image/webp.'),
});
export type ImageInput = z.input<typeof imageInputSchema>;

export interface ImageLimits {
  /** Images on one message. */
  maxCount: number;
  /** Decoded bytes of one image given as data. */
  maxBytes: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxCount: 8, maxBytes: 4 * 1024 * 1024 };

export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
const MAX_URL_LENGTH = 4096;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** What the bytes start with, per MIME type: data that does not look like its type is refused. */
const SIGNATURES: Record<(typeof IMAGE_MIME_TYPES)[number], (b: Buffer) => boolean> = {
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  'image/gif': (b) => b.subarray(0, 4).toString('latin1') === 'GIF8',
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
};

export interface ParsedImages {
  /** What the item keeps, in order. */
  refs: ImageRef[];
  /** Data to store (once per thread and hash). */
  blobs: ImageBlob[];
}

/** Checks the images of one message; a ValidationError names the first bad one (`images.N`). */
export function parseImages(images: readonly ImageInput[] | null | undefined, limits: ImageLimits, field = 'images'): ParsedImages {
  const parsed: ParsedImages = { refs: [], blobs: [] };
  if (!images || images.length === 0) return parsed;
  if (images.length > limits.maxCount) throw new ValidationError(`${field}: at most ${limits.maxCount} images, got ${images.length}`, field);
  images.forEach((raw, i) => {
    const at = `${field}.${i}`;
    const image = parseInput(imageInputSchema, raw, at);
    const hasUrl = image.url != null;
    const hasData = image.data != null;
    if (hasUrl === hasData) throw new ValidationError(`${at}: give either url or data (with mimeType)`, at);
    if (hasUrl) {
      parsed.refs.push({ url: checkUrl(image.url!, `${at}.url`) });
      return;
    }
    const blob = checkData(image.data!, image.mimeType, at, limits.maxBytes);
    parsed.refs.push({ sha256: blob.sha256, mimeType: blob.mimeType, byteSize: blob.byteSize });
    if (!parsed.blobs.some((b) => b.sha256 === blob.sha256)) parsed.blobs.push(blob);
  });
  return parsed;
}

function checkUrl(url: string, field: string): string {
  if (url.length > MAX_URL_LENGTH) throw new ValidationError(`${field}: at most ${MAX_URL_LENGTH} characters`, field);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError(`${field}: not a URL`, field);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ValidationError(`${field}: must be an http(s) URL (send image bytes as data with mimeType instead)`, field);
  }
  return parsed.href;
}

function checkData(data: string, mimeType: string | null | undefined, at: string, maxBytes: number): ImageBlob {
  if (!mimeType) throw new ValidationError(`${at}.mimeType: required with data`, `${at}.mimeType`);
  const type = mimeType.trim().toLowerCase() as (typeof IMAGE_MIME_TYPES)[number];
  if (!IMAGE_MIME_TYPES.includes(type)) {
    throw new ValidationError(
      `${at}.mimeType: ${JSON.stringify(mimeType.slice(0, 80))} is not one of ${IMAGE_MIME_TYPES.join(', ')}`,
      `${at}.mimeType`,
    );
  }
  const text = data.replace(/\s+/g, '');
  // Checked before decoding, so an oversized upload costs no buffer.
  if (Math.floor((text.length * 3) / 4) > maxBytes + 2) throw new ValidationError(`${at}.data: over the limit of ${maxBytes} bytes`, `${at}.data`);
  if (text.length === 0 || text.length % 4 !== 0 || !BASE64.test(text)) throw new ValidationError(`${at}.data: not valid base64`, `${at}.data`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length > maxBytes) throw new ValidationError(`${at}.data: ${bytes.length} bytes is over the limit of ${maxBytes}`, `${at}.data`);
  if (!SIGNATURES[type](bytes)) throw new ValidationError(`${at}.data: the bytes are not an image of type ${type}`, `${at}.data`);
  return { sha256: createHash('sha256').update(bytes).digest('hex'), mimeType: type, data: bytes.toString('base64'), byteSize: bytes.length };
}

/** The URL the model is sent: the image's own, or a data: URL of the stored bytes. */
export function imageUrl(ref: ImageRef, blob: ImageBlob | null | undefined): string | null {
  if (ref.url) return ref.url;
  if (!blob) return null;
  return `data:${blob.mimeType};base64,${blob.data}`;
}
