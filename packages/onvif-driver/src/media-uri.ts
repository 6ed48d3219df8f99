import { WardwatchError, normaliseHost } from '@wardwatch/core';
import { effectivePort } from './service-url.js';

const PLACEHOLDER_HOSTS = new Set(['0.0.0.0', 'localhost', '::', '[::]']);

function bare(host: string): string {
  return host.toLowerCase().replace(/^\[|\]$/g, '');
}

function parse(uri: string, address: string, operation: string): URL {
  if (!URL.canParse(uri)) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `${address} reported an invalid media URI`, { details: { address, operation } });
  }
  return new URL(uri);
}

function isInternal(url: URL, reachedHost: string, internalHosts: readonly string[]): boolean {
  const host = bare(url.hostname);
  return host !== bare(reachedHost) && (PLACEHOLDER_HOSTS.has(host) || internalHosts.map(bare).includes(host));
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/**
 * Rewrites the host of a stream URI the camera reports when it is the camera's own (internal)
 * address or a placeholder, to the host we reached it at; the port and path stay.
 */
export function rewriteMediaHost(uri: string, reachedHost: string, internalHosts: readonly string[], address = ''): string {
  const url = parse(uri, address, 'GetStreamUri');
  if (isInternal(url, reachedHost, internalHosts)) url.hostname = hostForUrl(reachedHost);
  return url.toString();
}

/**
 * Rewrites a snapshot URI like the service addresses: when its host is the camera's internal address
 * and it is served on the port the camera reports for its services, it follows the scheme, host and
 * port we reached the device service at (port-forwarded and NAT'd cameras); a snapshot on another
 * port keeps that port and only gets the reached host.
 */
export function rewriteSnapshotUri(uri: string, deviceUrl: string, internalHosts: readonly string[], reportedServicePort: number | undefined, address = ''): string {
  const url = parse(uri, address, 'GetSnapshotUri');
  const reached = new URL(deviceUrl);
  if (!isInternal(url, reached.hostname, internalHosts)) return url.toString();
  if (url.protocol.startsWith('http') && effectivePort(url) === (reportedServicePort ?? 80)) {
    url.protocol = reached.protocol;
    url.host = reached.host;
  } else url.hostname = reached.hostname;
  return url.toString();
}

/**
 * Whether a snapshot URI may be fetched with the camera's credentials — the same rule as core's
 * `checkStreamUri` for streams: its host must be the camera's own (the host we reached) or one the
 * admin allowed in `connection.streamHosts` (e.g. the NVR that serves it).
 */
export function isAllowedMediaHost(uri: string, cameraHost: string, allowedHosts: readonly string[]): boolean {
  if (!URL.canParse(uri)) return false;
  const host = normaliseHost(new URL(uri).hostname);
  return host !== '' && [cameraHost, ...allowedHosts].map(normaliseHost).includes(host);
}

/** Removes any credentials from a URI (unparseable text is returned as is). */
export function withoutCredentials(uri: string): string {
  if (!URL.canParse(uri)) return uri;
  const url = new URL(uri);
  url.username = '';
  url.password = '';
  return url.toString();
}

/**
 * The part of a stream URI safe for logs: scheme, host and port only. Some brands put the password in
 * the path (`…/user=admin_password=…_channel=1`), so the path never reaches a log line.
 */
export function mediaOrigin(uri: string): string {
  if (!URL.canParse(uri)) return '(unreadable URI)';
  const url = new URL(uri);
  return `${url.protocol}//${url.host}`;
}
