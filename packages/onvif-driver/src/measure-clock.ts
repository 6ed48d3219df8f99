import { WardwatchError, isWardwatchError, type Clock } from '@wardwatch/core';
import { soapEnvelope, type SoapClient } from './soap-client.js';
import { GET_SYSTEM_DATE_AND_TIME, parseSystemDateAndTime } from './system-date-and-time.js';

/** A clock skew beyond which devices commonly refuse WS-Security tokens (replay protection), ms. */
export const TOKEN_SKEW_LIMIT_MS = 5 * 60_000;

/** Settings of {@link measureClock}. */
export interface MeasureClockSettings {
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Called with a first offset estimate (camera minus station, ms) taken from the HTTP `Date` header of a
   * refused anonymous call, so the authenticated retry builds its token in the camera's time.
   */
  onEstimate?: (offsetMs: number) => void;
}

function seconds(ms: number): string {
  return `${Math.round(Math.abs(ms) / 1000)} s ${ms >= 0 ? 'ahead of' : 'behind'}`;
}

/**
 * Measures camera-minus-station clock offset from GetSystemDateAndTime (midpoint of the round trip).
 * Anonymous first, as ONVIF allows; when the camera refuses that, the offset is first estimated from
 * the refusal's HTTP `Date` header and the call is retried with a WS-Security token in camera time.
 * When the camera still refuses and its clock is far off, the error says so instead of blaming the password.
 */
export async function measureClock(
  soap: SoapClient,
  deviceUrl: string,
  clock: Clock,
  authenticate: boolean,
  settings: MeasureClockSettings = {},
): Promise<{ offsetMs: number; needsAuth: boolean }> {
  const once = async (auth: boolean): Promise<number> => {
    const t0 = clock.now();
    const { body } = await soap.call(deviceUrl, soapEnvelope(GET_SYSTEM_DATE_AND_TIME), 'GetSystemDateAndTime', {
      authenticate: auth,
      action: 'http://www.onvif.org/ver10/device/wsdl/GetSystemDateAndTime',
      ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
      ...(settings.signal ? { signal: settings.signal } : {}),
    });
    const t1 = clock.now();
    // ONVIF reports whole seconds (truncated): the camera's true time lies in [T, T + 1 s), so the
    // unbiased estimate is T + 500 ms, giving an offset within ±0.5 s plus half the round trip.
    const camera = parseSystemDateAndTime(body, deviceUrl) + 500;
    return Math.round(camera - (t0 + t1) / 2);
  };
  if (authenticate) return { offsetMs: await once(true), needsAuth: true };
  let estimate: number | undefined;
  try {
    return { offsetMs: await once(false), needsAuth: false };
  } catch (error) {
    if (!isWardwatchError(error, 'CAMERA_AUTH_FAILED')) throw error;
    const dated = error.details.cameraDateMs;
    if (typeof dated === 'number') {
      estimate = Math.round(dated + 500 - clock.now());
      settings.onEstimate?.(estimate);
    }
  }
  try {
    return { offsetMs: await once(true), needsAuth: true };
  } catch (error) {
    if (!isWardwatchError(error, 'CAMERA_AUTH_FAILED') || estimate === undefined || Math.abs(estimate) < TOKEN_SKEW_LIMIT_MS) throw error;
    throw new WardwatchError(
      'CAMERA_AUTH_FAILED',
      `GetSystemDateAndTime to ${String(error.details.address ?? deviceUrl)} was rejected; the camera clock is ${seconds(estimate)} the station's (its HTTP Date header), and devices refuse WS-Security tokens across such a clock skew — set the camera's time (NTP), then check username/password`,
      { cause: error, details: { ...error.details, clockOffsetMs: estimate, reason: 'clock-skew' } },
    );
  }
}
