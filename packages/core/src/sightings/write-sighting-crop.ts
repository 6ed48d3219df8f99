import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { WardwatchError } from '../errors/wardwatch-error.js';
import type { SightingCrop } from '../model/sighting.js';
import { utcDay } from '../storage/sum-bytes-per-day.js';

/** The default largest crop accepted, in bytes (256 KiB). */
export const DEFAULT_MAX_CROP_BYTES = 256 * 1024;

/**
 * Writes the JPEG crop of a sighting to `<cropDir>/<cameraId>/<YYYY-MM-DD>/<at>-<sha256 prefix>.jpg` (written to a
 * temporary name and renamed, so a reader never sees half a file) and returns its path relative to `cropDir`, hash
 * and size. Fails with `MEDIA_INVALID` when the bytes are not a JPEG or are larger than `maxBytes`.
 */
export async function writeSightingCrop(cropDir: string, cameraId: string, at: number, jpegBase64: string, maxBytes: number = DEFAULT_MAX_CROP_BYTES): Promise<SightingCrop> {
  const bytes = Buffer.from(jpegBase64, 'base64');
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8 || bytes[2] !== 0xff) {
    throw new WardwatchError('MEDIA_INVALID', `The crop of a sighting on camera "${cameraId}" is not a JPEG`, { details: { cameraId } });
  }
  if (bytes.length > maxBytes) {
    throw new WardwatchError('MEDIA_INVALID', `The crop of a sighting on camera "${cameraId}" is ${bytes.length} bytes; the limit is ${maxBytes}`, { details: { cameraId } });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const path = `${cameraId}/${utcDay(at)}/${at}-${sha256.slice(0, 16)}.jpg`;
  const absolute = join(cropDir, path);
  await mkdir(dirname(absolute), { recursive: true });
  const temporary = `${absolute}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, absolute);
  return { path, sha256, bytes: bytes.length };
}
