import { resolve } from 'node:path';
import type { ClipResult } from '../contracts/recorder.js';
import { WardwatchError, isWardwatchError } from '../errors/wardwatch-error.js';
import type { Segment } from '../model/segment.js';
import { cutClip } from './cut-clip.js';
import type { EvidenceContext } from './evidence-options.js';
import { throwIfCancelled } from './export-cancelled.js';
import type { ReportPhase } from './export-progress.js';
import { verifySources } from './verify-sources.js';

/**
 * Steps 1 and 2 together: the sources are re-hashed while the clip is cut (ffmpeg is another process). One
 * controller stops both: the caller's cancel, or a mismatch, which aborts the cut; a failed cut does not stop the
 * re-hash (when a source is damaged, that is the error to report). Every segment the clip used is verified.
 */
export async function cutVerifiedClip(
  context: Pick<EvidenceContext, 'recorder' | 'recordingsRoot' | 'clock' | 'logger'>,
  input: { evidenceId: string; request: { cameraId: string; from: number; to: number }; segments: readonly Segment[]; clipPath: string; signal: AbortSignal; report: ReportPhase },
): Promise<ClipResult> {
  const { signal, report } = input;
  const cutController = new AbortController();
  const abortCut = (): void => cutController.abort();
  signal.addEventListener('abort', abortCut, { once: true });
  const sources = verifySources({ segments: input.segments, recordingsRoot: context.recordingsRoot, signal: cutController.signal, exportSignal: signal, onProgress: (within) => report('verify-sources', within) });
  sources.done.catch(abortCut);
  const cutting = cutClip({
    recorder: context.recorder,
    request: input.request,
    clipPath: input.clipPath,
    signal: cutController.signal,
    clock: context.clock,
    logger: context.logger,
    evidenceId: input.evidenceId,
    onProgress: (ratio) => report('cut', ratio),
  });
  cutting.catch(() => undefined); // settled below, with the re-hash
  const [verifiedOutcome, cutOutcome] = await Promise.allSettled([sources.done, cutting]);
  signal.removeEventListener('abort', abortCut);
  throwIfCancelled(signal);
  // The first real failure wins over the CANCELLED it caused in the other branch.
  for (const outcome of [verifiedOutcome, cutOutcome]) {
    if (outcome.status === 'rejected' && !isWardwatchError(outcome.reason, 'CANCELLED')) throw outcome.reason;
  }
  if (verifiedOutcome.status === 'rejected') throw verifiedOutcome.reason;
  if (cutOutcome.status === 'rejected') throw cutOutcome.reason;
  const result = cutOutcome.value;
  throwIfCancelled(signal);
  if (resolve(result.path) !== resolve(input.clipPath)) {
    throw new WardwatchError('INTERNAL', `The recorder wrote the clip to ${result.path} instead of ${input.clipPath}`);
  }
  await sources.verifyAlso(result.segments);
  report('cut', 1);
  return result;
}
