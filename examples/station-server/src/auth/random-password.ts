import { randomBytes } from 'node:crypto';

/** A random password of 16 URL-safe characters (96 bits). */
export function randomPassword(): string {
  return randomBytes(12).toString('base64url');
}
