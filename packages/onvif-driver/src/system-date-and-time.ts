import { WardwatchError } from '@wardwatch/core';
import { localToUtc, parsePosixTz } from './posix-tz.js';
import { path, text, type XmlNode } from './xml-tree.js';

/** Body XML of a GetSystemDateAndTime request. */
export const GET_SYSTEM_DATE_AND_TIME = '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>';

/**
 * Reads the camera's UTC time (epoch ms) from a GetSystemDateAndTime response body; `LocalDateTime`
 * with the POSIX `TZ` (offset and DST rules) is used when the camera gives no `UTCDateTime`.
 */
export function parseSystemDateAndTime(body: XmlNode, address: string): number {
  const info = path(body, 'GetSystemDateAndTimeResponse', 'SystemDateAndTime');
  const utc = path(info, 'UTCDateTime');
  const dateTime = utc ?? path(info, 'LocalDateTime');
  const date = path(dateTime, 'Date');
  const time = path(dateTime, 'Time');
  const parts = [text(date, 'Year'), text(date, 'Month'), text(date, 'Day'), text(time, 'Hour'), text(time, 'Minute'), text(time, 'Second')].map(
    (v) => (v === undefined || v === '' ? NaN : Number(v)),
  );
  if (parts.some((n) => !Number.isInteger(n))) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `GetSystemDateAndTime from ${address} has no usable date and time`, {
      details: { address, operation: 'GetSystemDateAndTime' },
    });
  }
  const [year, month, day, hour, minute, second] = parts as [number, number, number, number, number, number];
  const wallClock = Date.UTC(year, month - 1, day, hour, minute, second);
  if (utc) return wallClock;
  // Only LocalDateTime: convert with the POSIX TZ, DST rules included ("CET-1CEST,M3.5.0,M10.5.0/3").
  const tz = parsePosixTz(text(path(info, 'TimeZone'), 'TZ') ?? '');
  return tz ? localToUtc(wallClock, tz) : wallClock;
}
