import { join, resolve } from 'node:path';
import { defined, WardwatchError, type BackoffOptions } from '@wardwatch/core';
import type { RecorderOptions } from './create-recorder.js';
import { RETENTION_DEFAULTS, type RetentionOptions } from './retention.js';

/** The defaults of {@link RecorderOptions}, written once (beside their `@default` in the options' TSDoc). */
export const RECORDER_DEFAULTS = {
  segmentSeconds: 60,
  transport: 'tcp' as 'tcp' | 'udp',
  socketTimeoutMs: 5000,
  stallTimeoutMs: 8000,
  connectTimeoutMs: 15_000,
  graceMs: 4000,
  backoff: {} as BackoffOptions,
  includeAudio: false,
  gapToleranceMs: 1000,
  recoveryWindowMs: 3_600_000,
  retention: {} as RetentionOptions,
};

/** {@link RecorderOptions} checked, with every default resolved once (internal). */
export type ResolvedRecorderOptions = typeof RECORDER_DEFAULTS &
  Pick<RecorderOptions, 'ffmpegPath' | 'ffprobePath' | 'live' | 'runner' | 'logger'> & {
    /** Absolute. */
    root: string;
    /** Absolute or relative to the process; `<root>/.exports` by default. */
    exportDir: string;
  };

/** Refuses retention settings that would purge everything, busy-loop or never purge (`INVALID_CONFIG`). */
function validateRetention(r: RetentionOptions): void {
  const fail = (message: string): never => {
    throw new WardwatchError('INVALID_CONFIG', `recorder: retention.${message}`);
  };
  if (r.days !== undefined && !(r.days > 0 && r.days <= 3650)) fail('days must be more than 0 and at most 3650');
  const { warnRatio: warn, purgeRatio: purge, targetRatio: target } = { ...RETENTION_DEFAULTS, ...defined(r) };
  if (!(warn > 0 && warn <= purge && purge < 1)) fail('warnRatio and purgeRatio must satisfy 0 < warnRatio <= purgeRatio < 1');
  if (!(target > 0 && target < purge)) fail('targetRatio must be more than 0 and less than purgeRatio');
  if (r.intervalMs !== undefined && !(r.intervalMs >= 1000)) fail('intervalMs must be at least 1000');
  if (r.batchSize !== undefined && !(Number.isInteger(r.batchSize) && r.batchSize >= 1 && r.batchSize <= 10_000)) fail('batchSize must be an integer from 1 to 10000');
}

/** Checks the recorder options (`INVALID_CONFIG`) and resolves their defaults. */
export function resolveRecorderOptions(options: RecorderOptions): ResolvedRecorderOptions {
  if (!options || typeof options.root !== 'string' || options.root.length === 0) {
    throw new WardwatchError('INVALID_CONFIG', 'recorder: root must be a directory path');
  }
  if (/[|[\]\\]/.test(options.root)) {
    throw new WardwatchError('INVALID_CONFIG', 'recorder: root must not contain | [ ] or \\ (they break the ffmpeg tee syntax)');
  }
  const resolved = { ...RECORDER_DEFAULTS, ...defined(options) };
  if (!(resolved.segmentSeconds >= 1 && resolved.segmentSeconds <= 3600)) {
    throw new WardwatchError('INVALID_CONFIG', 'recorder: segmentSeconds must be between 1 and 3600');
  }
  if (resolved.transport !== 'tcp' && resolved.transport !== 'udp') throw new WardwatchError('INVALID_CONFIG', "recorder: transport must be 'tcp' or 'udp'");
  validateRetention(resolved.retention);
  const root = resolve(options.root);
  return {
    ...resolved,
    root,
    exportDir: options.exportDir ?? join(root, '.exports'),
    ...(options.ffmpegPath === undefined ? {} : { ffmpegPath: options.ffmpegPath }),
    ...(options.ffprobePath === undefined ? {} : { ffprobePath: options.ffprobePath }),
    ...(options.live === undefined ? {} : { live: options.live }),
    ...(options.runner === undefined ? {} : { runner: options.runner }),
    ...(options.logger === undefined ? {} : { logger: options.logger }),
  };
}
