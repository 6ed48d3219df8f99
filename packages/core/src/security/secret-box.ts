import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { WardwatchError } from '../errors/wardwatch-error.js';

/**
 * Encrypts short secrets (camera passwords) before they are stored, and decrypts them when they are loaded. A sealed
 * value is bound to a `context` (e.g. the camera id and field): it opens only under the same context, so a ciphertext
 * copied onto another record does not decrypt.
 */
export interface SecretBox {
  /** Encrypts `plain` for `context` into an `enc:v1:` envelope. */
  seal(plain: string, context: string): Promise<string>;
  /** Decrypts an envelope sealed for `context`; throws `SECRET_UNREADABLE` (wrong key, tampered, moved, unknown version). */
  open(sealed: string, context: string): Promise<string>;
}

/** Prefix of every sealed value; a stored value without it is a legacy plain-text secret. */
export const SEALED_SECRET_PREFIX = 'enc:';
/** The envelope written by {@link createSecretBox}: `enc:v1:` + base64(96-bit nonce ‖ AES-256-GCM ciphertext ‖ 128-bit tag). */
export const SEALED_SECRET_V1 = 'enc:v1:';
/** Length in bytes of a station secret key (AES-256). */
export const SECRET_KEY_BYTES = 32;

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Whether a stored value is a sealed envelope (of any version) rather than a legacy plain-text secret. */
export function isSealedSecret(value: string): boolean {
  return value.startsWith(SEALED_SECRET_PREFIX);
}

/**
 * A {@link SecretBox} over a 32-byte key held in memory: AES-256-GCM with a random 96-bit nonce per value and the
 * context as associated data. {@link createFileSecretBox} keeps the key in a file next to the evidence key.
 */
export function createSecretBox(key: Uint8Array | (() => Promise<Uint8Array>)): SecretBox {
  const keyOf = async (): Promise<Uint8Array> => {
    const bytes = typeof key === 'function' ? await key() : key;
    if (bytes.length !== SECRET_KEY_BYTES) {
      throw new WardwatchError('SECRET_KEY_ERROR', `The station secret key must be ${SECRET_KEY_BYTES} bytes, not ${bytes.length}`);
    }
    return bytes;
  };
  const unreadable = (context: string, reason: string, cause?: unknown): WardwatchError =>
    new WardwatchError('SECRET_UNREADABLE', `A stored secret (${context}) cannot be decrypted: ${reason}`, {
      ...(cause === undefined ? {} : { cause }),
      details: { context },
    });

  return {
    async seal(plain, context) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', await keyOf(), nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return SEALED_SECRET_V1 + Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
    },
    async open(sealed, context) {
      if (!sealed.startsWith(SEALED_SECRET_V1)) throw unreadable(context, 'unknown envelope version');
      const key = await keyOf();
      const base64 = sealed.slice(SEALED_SECRET_V1.length);
      const bytes = Buffer.from(base64, 'base64');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || bytes.length < NONCE_BYTES + TAG_BYTES) throw unreadable(context, 'the envelope is malformed');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
        return Buffer.concat([decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch (error) {
        throw unreadable(context, 'wrong station secret key, or the value was altered or moved from another record', error);
      }
    },
  };
}
