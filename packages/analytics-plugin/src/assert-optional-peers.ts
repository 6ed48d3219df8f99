import { createRequire } from 'node:module';
import { WardwatchError } from '@wardwatch/core';

const requireFromHere = createRequire(import.meta.url);

/** True when `name` resolves from this package (a package whose `exports` hide its main entry still counts). */
function installed(name: string): boolean {
  try {
    requireFromHere.resolve(name);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code !== 'MODULE_NOT_FOUND';
  }
}

/**
 * Checks that the optional peer dependencies a feature needs are installed; when some are not, throws
 * `OPTIONAL_DEPENDENCY_MISSING` naming them and the command that adds them. The heavy analytics packages (ONNX
 * runtime, TensorFlow.js, models) are optional peers so that a station without plates or faces does not install them.
 */
export function assertOptionalPeers(feature: string, packages: readonly string[]): void {
  const missing = packages.filter((name) => !installed(name));
  if (missing.length === 0) return;
  throw new WardwatchError(
    'OPTIONAL_DEPENDENCY_MISSING',
    `${feature} needs ${missing.join(', ')}, not installed: add ${missing.length === 1 ? 'it' : 'them'} with \`npm install ${missing.join(' ')}\` (or pnpm add)`,
    { details: { packages: missing, feature } },
  );
}
