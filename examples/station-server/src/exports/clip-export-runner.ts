import type { Recorder } from '@wardwatch/core';
import { map } from 'rxjs';
import type { ExportRunner } from './export-runner.js';

/** The `clip` export kind: the recorder's `exportClip` (stream copy) into the job's file. */
export function clipExportRunner(recorder: Pick<Recorder, 'exportClip'>): ExportRunner {
  return (request, { outPath, signal }) =>
    recorder.exportClip({ cameraId: request.cameraId, from: request.from, to: request.to, outPath, signal }).pipe(
      map((event) => {
        if (event.type === 'progress') return { type: 'progress' as const, ratio: event.ratio, bytes: event.bytes };
        const r = event.result;
        return {
          type: 'done' as const,
          bytes: r.bytes,
          result: { actual: r.actual, requested: r.requested, sha256: r.sha256, bytes: r.bytes, gaps: r.gaps, segments: r.segments.length },
        };
      }),
    );
}
