import { isAbsolute, relative, resolve } from 'node:path';
import { WardwatchError } from '../errors/wardwatch-error.js';

/** The absolute path of `path` under `root`; `PATH_OUTSIDE_ROOT` when it would leave it. */
export function insideRoot(root: string, path: string): string {
  const full = resolve(root, path);
  const rel = relative(root, full);
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new WardwatchError('PATH_OUTSIDE_ROOT', `The path ${path} resolves outside ${root}`, { details: { path } });
  }
  return full;
}
