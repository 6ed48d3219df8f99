import type { z } from 'zod';
import { WardwatchError } from '../errors/wardwatch-error.js';
import { describeIssues } from '../model/validate.js';

/** The default largest record a storage adapter accepts, as UTF-8 JSON bytes (1 MiB). */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/** A record that passed {@link checkStorageRecord}: the parsed value and its JSON text. */
export interface CheckedRecord<T> {
  /** The schema's output (defaults applied, unknown keys handled per schema). */
  value: T;
  /** `JSON.stringify(value)`, what an adapter may store as is. */
  json: string;
}

/**
 * Validates a record before it is written: parses it with `schema` (failing with
 * `STORAGE_RECORD_INVALID` naming every bad field) and measures its JSON size (failing with
 * `STORAGE_RECORD_TOO_LARGE` above `maxBytes`). Nothing invalid ever reaches the store.
 */
export function checkStorageRecord<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  maxBytes: number = DEFAULT_MAX_RECORD_BYTES,
): CheckedRecord<z.output<S>> {
  const result = schema.safeParse(input);
  if (!result.success) {
    const problems = describeIssues(result.error);
    const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    throw new WardwatchError('STORAGE_RECORD_INVALID', `Invalid ${what}: ${list}`, { details: { record: what, problems } });
  }
  let json: string;
  try {
    json = JSON.stringify(result.data);
  } catch (cause) {
    throw new WardwatchError('STORAGE_RECORD_INVALID', `Invalid ${what}: not serialisable as JSON`, { cause, details: { record: what } });
  }
  // UTF-8 is at most 3 bytes per UTF-16 unit, so short strings skip the exact count.
  if (json.length * 3 > maxBytes) {
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > maxBytes) {
      throw new WardwatchError('STORAGE_RECORD_TOO_LARGE', `The ${what} is ${bytes} bytes as JSON; the limit is ${maxBytes} bytes`, {
        details: { record: what, bytes, maxBytes },
      });
    }
  }
  return { value: result.data, json };
}
