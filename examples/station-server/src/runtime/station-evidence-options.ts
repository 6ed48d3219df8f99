import { createFileKeyStore, type StationEvidenceOptions } from '@wardwatch/core';
import { wardwatchVersions, type StationIdentity } from '../evidence/open-evidence-data.js';

/**
 * The evidence options of this station server (`createStation({ evidence })`): the station key in `<data>/keys`,
 * packages in `<data>/evidence`, segments under `<data>/recordings`. The service keeps its default
 * `zip: 'on-demand'`: an export writes the folder only, and the first download writes the `.zip` from the
 * verified folder (audited `evidence.zip`).
 */
export function stationEvidenceOptions(paths: { keys: string; evidence: string; recordings: string }, identity: StationIdentity): StationEvidenceOptions {
  return {
    keyStore: createFileKeyStore({ dir: paths.keys }),
    evidenceRoot: paths.evidence,
    recordingsRoot: paths.recordings,
    station: identity,
    softwareVersions: wardwatchVersions({ 'station-server': '0.1.0' }),
  };
}
