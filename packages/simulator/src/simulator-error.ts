/**
 * The codes a {@link SimulatorError} carries. They are names of the WardWatch error catalogue (the simulator
 * depends on nothing of ours, so it repeats the names it uses):
 *
 * | code | when |
 * | --- | --- |
 * | `INVALID_CONFIG` | `startSimulator` options are invalid (the message lists every problem) |
 * | `INVALID_ARGUMENT` | a fault-injection call got a bad value (clock drift, picture fault, tamper kind, CLI flag) |
 * | `NOT_FOUND` | `sim.camera(id)` names no camera |
 * | `FFMPEG_NOT_FOUND` | no ffmpeg binary was found |
 * | `FFMPEG_FAILED` | an encoder or snapshot ffmpeg failed (the message has its stderr tail) |
 * | `CANCELLED` | the simulator stopped while a caller waited for a stream |
 * | `CAMERA_UNREACHABLE` | a camera could not bind its RTP/RTCP UDP port pair |
 * | `CAMERA_SOAP_FAULT` | an ONVIF handler answers with a SOAP fault (`fault` says which); the ONVIF server turns it into the fault answer |
 */
export type SimulatorErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'FFMPEG_NOT_FOUND'
  | 'FFMPEG_FAILED'
  | 'CANCELLED'
  | 'CAMERA_UNREACHABLE'
  | 'CAMERA_SOAP_FAULT';

/** The SOAP fault a `CAMERA_SOAP_FAULT` error is answered with. */
export interface SimulatedSoapFault {
  /** HTTP status of the fault answer. */
  status: number;
  code: 'env:Sender' | 'env:Receiver';
  subcode: string;
  subsubcode?: string;
}

/** The one error type of the simulator: a code from {@link SimulatorErrorCode}, and the SOAP fault for `CAMERA_SOAP_FAULT`. */
export class SimulatorError extends Error {
  /** A code from {@link SimulatorErrorCode}. */
  readonly code: SimulatorErrorCode;
  /** The SOAP fault to answer with (only for `CAMERA_SOAP_FAULT`). */
  readonly fault: SimulatedSoapFault | undefined;

  constructor(code: SimulatorErrorCode, message: string, options?: { cause?: unknown; fault?: SimulatedSoapFault }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SimulatorError';
    this.code = code;
    this.fault = options?.fault;
  }
}

/** A `CAMERA_SOAP_FAULT` error: what an ONVIF handler throws where a real device answers with a fault. */
export function soapFaultError(status: number, code: SimulatedSoapFault['code'], subcode: string, subsubcode: string | undefined, reason: string): SimulatorError {
  return new SimulatorError('CAMERA_SOAP_FAULT', reason, { fault: { status, code, subcode, ...(subsubcode ? { subsubcode } : {}) } });
}
