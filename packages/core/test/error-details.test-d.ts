import { describe, expectTypeOf, it } from 'vitest';
import {
  WardwatchError,
  isWardwatchError,
  toWardwatchError,
  type CameraErrorDetails,
  type ErrorCode,
  type ErrorDetailsByCode,
  type FieldProblem,
} from '@wardwatch/core';

describe('WardwatchError details are typed per code', () => {
  it('checks the details of a code against its entry', () => {
    new WardwatchError('CAMERA_TIMEOUT', 'slow', { details: { cameraId: 'cam-1', operation: 'GetProfiles', timeoutMs: 400 } });
    new WardwatchError('NOT_FOUND', 'gone', { details: { incidentId: 'inc-1' } });
    new WardwatchError('INVALID_CONFIG', 'bad', { details: { problems: [{ path: 'location.lat', message: 'too big' }] } });
    new WardwatchError('OPTIONAL_DEPENDENCY_MISSING', 'add it', { details: { packages: ['onnxruntime-node'], feature: 'plate reading' } });

    // @ts-expect-error a field the camera codes do not have (a typo of cameraId)
    new WardwatchError('CAMERA_TIMEOUT', 'slow', { details: { camId: 'cam-1' } });
    // @ts-expect-error timeoutMs is a number
    new WardwatchError('CAMERA_TIMEOUT', 'slow', { details: { timeoutMs: '400' } });
    // @ts-expect-error problems are { path, message }, not strings
    new WardwatchError('INVALID_CONFIG', 'bad', { details: { problems: ['lat too big'] } });
    // @ts-expect-error the packages to add are required
    new WardwatchError('OPTIONAL_DEPENDENCY_MISSING', 'add it', { details: { feature: 'faces' } });
    // @ts-expect-error not a catalogued code
    new WardwatchError('CAMERA_ON_FIRE', 'hot');
  });

  it('types toWardwatchError details for the fallback code', () => {
    toWardwatchError(new Error('x'), 'CAMERA_UNREACHABLE', { cameraId: 'cam-1', address: 'http://10.0.0.5/onvif' });
    // @ts-expect-error storage details have no address
    toWardwatchError(new Error('x'), 'STORAGE_IO', { address: 'http://10.0.0.5/onvif' });
  });

  it('narrows the details by code, and keeps them readable when the code is not known', () => {
    const error: unknown = new WardwatchError('CAMERA_SOAP_FAULT', 'fault', { details: { faultCodes: ['env:Sender'] } });
    if (isWardwatchError(error, 'CAMERA_SOAP_FAULT')) {
      expectTypeOf(error.code).toEqualTypeOf<'CAMERA_SOAP_FAULT'>();
      expectTypeOf(error.details.faultCodes).toEqualTypeOf<string[] | undefined>();
      expectTypeOf(error.details).toMatchTypeOf<CameraErrorDetails>();
    }
    if (isWardwatchError(error, 'INVALID_CONFIG')) expectTypeOf(error.details.problems).toEqualTypeOf<FieldProblem[] | undefined>();
    if (isWardwatchError(error)) {
      expectTypeOf(error.code).toEqualTypeOf<ErrorCode>();
      expectTypeOf(error.details.anything).toEqualTypeOf<unknown>();
    }
    // A narrowed error is still a WardwatchError.
    expectTypeOf(new WardwatchError('STORAGE_IO', 'io')).toMatchTypeOf<WardwatchError>();
    expectTypeOf(new WardwatchError('STORAGE_IO', 'io').toJSON().code).toEqualTypeOf<'STORAGE_IO'>();
  });

  it('has an entry for every code of the catalogue', () => {
    expectTypeOf<keyof ErrorDetailsByCode>().toEqualTypeOf<ErrorCode>();
  });
});
