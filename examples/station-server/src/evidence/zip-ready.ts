import { stat } from 'node:fs/promises';
import type { EvidenceService } from '@wardwatch/core';
import type { FastifyBaseLogger } from 'fastify';

/**
 * Whether an evidence package's `.zip` is written yet. Never throws, so one bad record cannot break a listing: a
 * record whose paths cannot be resolved (or read) is not ready, and that is logged with the evidence id.
 */
export async function zipReady(evidence: EvidenceService, evidenceId: string, log: FastifyBaseLogger): Promise<boolean> {
  try {
    const { zip } = await evidence.packagePaths(evidenceId);
    return (await stat(zip)).isFile();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.warn({ err: error, evidenceId }, 'evidence zip state not read');
    return false;
  }
}
