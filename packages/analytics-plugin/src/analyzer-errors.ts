import type { AnalyzerContext, WardwatchError } from '@wardwatch/core';
import { toWardwatchError } from '@wardwatch/core';

/** Called with each frame or read an analyzer rejected; the analyzer goes on with the next frame. */
export type AnalyzerErrorHandler = (error: WardwatchError, cameraId: string) => void;

/** Normalises `error`, logs it as a warning and passes it to the handler; never throws. */
export function reportAnalyzerError(
  context: AnalyzerContext,
  analyzer: string,
  error: unknown,
  handler: AnalyzerErrorHandler | undefined,
): WardwatchError {
  const err = toWardwatchError(error);
  context.logger.warn({ analyzer, cameraId: context.camera.id, code: err.code, details: err.details }, err.message);
  if (handler) {
    try {
      handler(err, context.camera.id);
    } catch (handlerError) {
      context.logger.error({ analyzer, err: handlerError }, 'analyzer onError handler threw');
    }
  }
  return err;
}
