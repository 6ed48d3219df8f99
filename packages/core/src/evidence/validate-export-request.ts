import { WardwatchError } from '../errors/wardwatch-error.js';
import type { EvidenceExportRequest } from './evidence-service.js';
import { RECORD_ID_PATTERN } from './evidence-id.js';

/** Refuses a malformed export request with `INVALID_ARGUMENT` (step 0 of an export). */
export function validateExportRequest(request: EvidenceExportRequest, limits: { maxRangeMs: number; canExtractStills: boolean }): void {
  const bad = (message: string): never => {
    throw new WardwatchError('INVALID_ARGUMENT', message);
  };
  if (typeof request.cameraId !== 'string' || !RECORD_ID_PATTERN.test(request.cameraId)) bad('cameraId is missing or malformed');
  if (!Number.isInteger(request.from) || !Number.isInteger(request.to) || request.from < 0) bad('from and to must be UTC epoch milliseconds');
  if (request.to <= request.from) bad('to must be after from');
  if (request.to - request.from > limits.maxRangeMs) bad(`the range is longer than the maximum of ${limits.maxRangeMs / 60_000} minutes`);
  if (typeof request.operator !== 'string' || request.operator.trim() === '') bad('operator is required');
  if (typeof request.reason !== 'string' || request.reason.trim() === '') bad('reason is required');
  if (request.stillsAt && request.stillsAt.length > 0 && !limits.canExtractStills) bad('stills were asked for but this station has no still extractor');
  if (request.stillsAt && request.stillsAt.some((t) => t < request.from || t >= request.to)) bad('every still time must be inside the requested range');
}
