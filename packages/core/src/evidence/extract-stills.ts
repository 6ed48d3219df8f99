import type { ClipResult } from '../contracts/recorder.js';
import type { EvidenceContext } from './evidence-options.js';
import { isoOf } from './evidence-id.js';
import { throwIfCancelled } from './export-cancelled.js';
import type { EvidenceStill } from './write-evidence-package.js';

/** The stills a request asked for, extracted from the cut clip at their offsets (between cut and manifest). */
export async function extractStills(
  context: Pick<EvidenceContext, 'extractStill'>,
  input: { stillsAt: readonly number[] | undefined; clipPath: string; result: ClipResult; signal: AbortSignal },
): Promise<EvidenceStill[]> {
  const stills: EvidenceStill[] = [];
  for (const at of input.stillsAt ?? []) {
    throwIfCancelled(input.signal);
    const offset = Math.max(0, at - input.result.actual.from);
    // validateExportRequest refuses stills when there is no extractor
    stills.push({ name: `still-${isoOf(at).replace(/[-:]/g, '').replace('.', '')}.jpg`, data: await context.extractStill!(input.clipPath, offset, input.signal) });
  }
  return stills;
}
