import type { EvidenceExportEvent, EvidenceExportPhase } from './evidence-service.js';

/** Reports one phase's own progress (0..1); the export turns it into an overall ratio (internal). */
export type ReportPhase = (phase: EvidenceExportPhase, within: number) => void;

/**
 * Turns per-phase progress into overall `progress` events: a weighted sum of the phases (verify-sources and cut
 * run together), emitted every half per cent, at each phase's end, and once at the start.
 */
export function createExportProgress(zip: 'eager' | 'on-demand', progress: (event: EvidenceExportEvent & { type: 'progress' }) => void): ReportPhase {
  const weights: Record<EvidenceExportPhase, number> =
    zip === 'eager' ? { 'verify-sources': 0.35, cut: 0.3, package: 0.03, zip: 0.32 } : { 'verify-sources': 0.5, cut: 0.45, package: 0.05, zip: 0 };
  const parts: Record<EvidenceExportPhase, number> = { 'verify-sources': 0, cut: 0, package: 0, zip: 0 };
  let lastRatio = -1;
  return (phase, within) => {
    parts[phase] = Math.max(parts[phase], Math.max(0, Math.min(1, within)));
    const ratio = Math.min(1, (Object.keys(parts) as EvidenceExportPhase[]).reduce((sum, p) => sum + weights[p] * parts[p], 0));
    if (ratio - lastRatio >= 0.005 || (within >= 1 && ratio > lastRatio) || lastRatio < 0) {
      lastRatio = ratio;
      progress({ type: 'progress', phase, ratio });
    }
  };
}
