import type { Hold } from '../model/evidence.js';

/** How far an export got, for its rollback: the hold taken, the folder renamed into place, the record committed. */
export interface ExportState {
  hold?: Hold;
  renamed: boolean;
  /** The record is in the index: from here the export exists and is never rolled back. */
  committed: boolean;
}
