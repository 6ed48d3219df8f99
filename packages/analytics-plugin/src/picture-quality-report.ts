import type { StationEvent } from '@wardwatch/core';

/** Picture quality of one camera over a set of `picture.quality` events. */
export interface CameraPictureQuality {
  cameraId: string;
  /** Number of quality samples. */
  samples: number;
  /** Mean quality score, 0..1. */
  meanScore: number;
  /** Mean score of the low-light samples (night), 0..1; undefined when there were none. */
  lowLightScore?: number;
  /** Fraction of samples that were low-light. */
  lowLightRatio: number;
  /** What the station should do: `ok`, or the camera needs infrared or lighting for night identification. */
  recommendation: 'ok' | 'needs-infrared-or-lighting' | 'check-focus-or-lens';
}

/**
 * Summarises `picture.quality` events per camera so a station sees which cameras are too poor at
 * night to identify people and vehicles (they need infrared or lighting), worst first.
 */
export function summarizePictureQuality(events: Iterable<StationEvent>, options: { minScore?: number } = {}): CameraPictureQuality[] {
  const minScore = options.minScore ?? 0.4;
  const by = new Map<string, { n: number; sum: number; low: number; lowSum: number; sharp: number }>();
  for (const e of events) {
    if (e.type !== 'picture.quality') continue;
    const s = by.get(e.cameraId) ?? { n: 0, sum: 0, low: 0, lowSum: 0, sharp: 0 };
    s.n += 1;
    s.sum += e.score;
    s.sharp += e.sharpness;
    if (e.lowLight) {
      s.low += 1;
      s.lowSum += e.score;
    }
    by.set(e.cameraId, s);
  }
  return [...by.entries()]
    .map(([cameraId, s]) => {
      const lowLightScore = s.low > 0 ? s.lowSum / s.low : undefined;
      const recommendation: CameraPictureQuality['recommendation'] =
        lowLightScore !== undefined && lowLightScore < minScore
          ? 'needs-infrared-or-lighting'
          : s.sharp / s.n < 0.35
            ? 'check-focus-or-lens'
            : 'ok';
      return {
        cameraId,
        samples: s.n,
        meanScore: s.sum / s.n,
        ...(lowLightScore === undefined ? {} : { lowLightScore }),
        lowLightRatio: s.low / s.n,
        recommendation,
      };
    })
    .sort((a, b) => a.meanScore - b.meanScore);
}
