import { WardwatchError } from '@wardwatch/core';
import { path, text, type XmlNode } from './xml-tree.js';

/** Body XML of a GetSystemDateAndTime request. */
export const GET_SYSTEM_DATE_AND_TIME = '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/>';

/**
 * Reads the camera's UTC time (epoch ms) from a GetSystemDateAndTime response body; `LocalDateTime`
 * with the POSIX `TZ` offset is used when the camera gives no `UTCDateTime`.
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
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  if (!utc) {
    // POSIX TZ "ICT-7" means UTC+7: local = UTC - offset(hours, sign inverted).
    const tz = text(path(info, 'TimeZone'), 'TZ') ?? '';
    const match = /^[A-Za-z<>+\-0-9]*?([+-]?\d{1,2})(?::(\d{2}))?/.exec(tz.replace(/^<[^>]*>/, (m) => m.replace(/[+-]/g, '')));
    if (match) {
      const sign = match[1]!.startsWith('-') ? -1 : 1;
      const hours = Math.abs(Number(match[1]));
      const minutes = Number(match[2] ?? 0);
      ms += sign * (hours * 3_600_000 + minutes * 60_000);
    }
  }
  return ms;
}
