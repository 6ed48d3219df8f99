import type { z } from 'zod';
import type { ErrorCode } from '../errors/codes.js';
import { WardwatchError } from '../errors/wardwatch-error.js';

/** One field that failed validation: a dotted path and the reason. */
export interface FieldProblem {
  /** Dotted path of the field, e.g. `location.lat` or `tags.2`; `(root)` for the whole value. */
  path: string;
  /** Why the value is not accepted. */
  message: string;
}

/** Lists every problem of a failed zod parse as dotted paths with reasons. */
export function describeIssues(error: z.ZodError): FieldProblem[] {
  return error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/**
 * Parses `input` with `schema`, or throws a {@link WardwatchError} (default code `INVALID_CONFIG`)
 * whose message names every bad field and why, and whose `details.problems` lists them.
 */
export function parseWithSchema<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what: string,
  code: ErrorCode = 'INVALID_CONFIG',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = describeIssues(result.error);
  const list = problems.map((p) => `${p.path}: ${p.message}`).join('; ');
  throw new WardwatchError(code, `Invalid ${what}: ${list}`, { details: { problems } });
}
