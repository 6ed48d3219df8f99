import { WardwatchError } from '@wardwatch/core';

/**
 * Parses `--name value`, `--name=value` and boolean `--flag` arguments against a spec of known
 * options (a bare `--` is skipped); unknown options and bad numbers are `INVALID_ARGUMENT`.
 */
export function parseArgs(argv: readonly string[], spec: Record<string, 'string' | 'number' | 'boolean'>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') continue; // `pnpm demo -- --port 9000` passes the separator through
    if (!arg.startsWith('--')) throw new WardwatchError('INVALID_ARGUMENT', `Unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const kind = spec[name];
    if (!kind) throw new WardwatchError('INVALID_ARGUMENT', `Unknown option --${name} (known: ${Object.keys(spec).map((k) => `--${k}`).join(', ')})`);
    if (kind === 'boolean') {
      out[name] = eq === -1 ? true : arg.slice(eq + 1) !== 'false';
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new WardwatchError('INVALID_ARGUMENT', `Option --${name} needs a value`);
    if (kind === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new WardwatchError('INVALID_ARGUMENT', `Option --${name} must be a number, got "${value}"`);
      out[name] = n;
    } else out[name] = value;
  }
  return out;
}
