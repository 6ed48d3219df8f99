import { WardwatchError, isWardwatchError, toWardwatchError } from '../errors/wardwatch-error.js';
import type { Segment } from '../model/segment.js';
import { isoOf } from './evidence-id.js';
import { hashFile } from './hash-file.js';
import { hashFilesInWorker } from './hash-files-in-worker.js';
import { insideRoot } from './inside-root.js';

/** The running re-hash of an export's source segments (step 1: two-point integrity). */
export interface SourceVerification {
  /** Settles when every listed segment matched its closing hash; rejects at the first mismatch or missing file. */
  readonly done: Promise<void>;
  /** Re-hashes segments the clip used that were not listed (none normally), one at a time. */
  verifyAlso(segments: readonly Segment[]): Promise<void>;
}

function missing(segment: Segment, cause: unknown): WardwatchError {
  return new WardwatchError('EVIDENCE_INTEGRITY_MISMATCH', `Source segment ${segment.path} is missing from the recordings`, {
    cause,
    details: { segment: segment.path, cameraId: segment.cameraId, start: segment.start },
  });
}

/**
 * Starts re-hashing the source segments on a worker thread (beside the event loop and ffmpeg), each compared with
 * the SHA-256 recorded when it closed: a mismatch is `EVIDENCE_INTEGRITY_MISMATCH`, and nothing is published.
 */
export function verifySources(input: {
  segments: readonly Segment[];
  recordingsRoot: string;
  /** Stops the re-hash (the export's cancel, or the cut failing). */
  signal: AbortSignal;
  /** Stops a {@link SourceVerification.verifyAlso} re-hash (the export's cancel). */
  exportSignal: AbortSignal;
  onProgress: (within: number) => void;
}): SourceVerification {
  const { segments, recordingsRoot } = input;
  const verified = new Set<string>();
  const keyOf = (segment: Segment): string => `${segment.path}:${segment.sha256}`;
  const compare = (segment: Segment, actual: { sha256: string; bytes: number }): void => {
    if (actual.sha256 !== segment.sha256) {
      throw new WardwatchError(
        'EVIDENCE_INTEGRITY_MISMATCH',
        `Source segment ${segment.path} (camera ${segment.cameraId}, ${isoOf(segment.start)}) does not match the SHA-256 recorded when it closed; export stopped`,
        { details: { segment: segment.path, cameraId: segment.cameraId, start: segment.start, expected: segment.sha256, actual: actual.sha256 } },
      );
    }
    verified.add(keyOf(segment));
  };
  const totalBytes = segments.reduce((sum, s) => sum + s.bytes, 0) || 1;
  input.onProgress(0);
  const done = (async () => {
    try {
      await hashFilesInWorker(
        segments.map((segment) => insideRoot(recordingsRoot, segment.path)),
        { signal: input.signal, onBytes: (bytes) => input.onProgress(bytes / totalBytes), onFile: (index, actual) => compare(segments[index]!, actual) },
      );
    } catch (error) {
      const index = isWardwatchError(error, 'NOT_FOUND') ? error.details.index : undefined;
      throw typeof index === 'number' ? missing(segments[index]!, error) : error;
    }
    input.onProgress(1);
  })();

  async function verifyAlso(used: readonly Segment[]): Promise<void> {
    for (const segment of used) {
      if (verified.has(keyOf(segment))) continue;
      let actual: { sha256: string; bytes: number };
      try {
        actual = await hashFile(insideRoot(recordingsRoot, segment.path), { signal: input.exportSignal });
      } catch (error) {
        const wrapped = toWardwatchError(error, 'STORAGE_IO');
        throw wrapped.code === 'NOT_FOUND' ? missing(segment, error) : wrapped;
      }
      compare(segment, actual);
    }
  }

  return { done, verifyAlso };
}
