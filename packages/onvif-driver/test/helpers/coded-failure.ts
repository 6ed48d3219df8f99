import { expect } from 'vitest';
import { WardwatchError } from '@wardwatch/core';

/** Awaits a promise that must reject with a `WardwatchError`, and returns that error. */
export async function codedFailure(promise: Promise<unknown>): Promise<WardwatchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WardwatchError);
  return error as WardwatchError;
}
