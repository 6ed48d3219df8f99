import { join } from 'node:path';

/** Where an export is staged and where it is published, under the evidence root. */
export interface ExportPaths {
  staging: string;
  stagingZip: string;
  finalDir: string;
  finalZip: string;
}

/** The staging and final paths of export `id`. */
export function exportPaths(evidenceRoot: string, id: string): ExportPaths {
  return {
    staging: join(evidenceRoot, `.partial-${id}`),
    stagingZip: join(evidenceRoot, `.partial-${id}.zip`),
    finalDir: join(evidenceRoot, id),
    finalZip: join(evidenceRoot, `${id}.zip`),
  };
}
