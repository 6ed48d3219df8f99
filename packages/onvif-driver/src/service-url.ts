/** `scheme://host:port:port/…` (a port written twice, seen in the field) — the second port is dropped. */
const DOUBLED_PORT = /^([a-z][a-z0-9+.-]*:\/\/(?:[^/@?#]*@)?[^/:?#[\]]+:(\d+)):\d+(?=[/?#]|$)/i;

/**
 * Repairs service addresses some firmwares write wrongly: a port written twice
 * (`http://host:8106:8106/onvif/Subscription?Idx=43`) keeps its first port. Other text is unchanged.
 */
export function repairUrl(url: string): string {
  return url.trim().replace(DOUBLED_PORT, '$1');
}

/**
 * Replaces the scheme-host-port of a service address the camera reports (its own LAN view) with the
 * one we reached it at, after {@link repairUrl}; undefined when the address cannot be read even then.
 */
export function rebaseServiceUrl(reported: string, reached: string): string | undefined {
  const repaired = repairUrl(reported);
  if (!URL.canParse(repaired)) return undefined;
  const target = new URL(repaired);
  const base = new URL(reached);
  target.protocol = base.protocol;
  target.host = base.host;
  return target.toString();
}

/** The effective port of a URL (the scheme's default when none is written). */
export function effectivePort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : url.protocol === 'rtsp:' ? 554 : url.protocol === 'rtsps:' ? 322 : 80;
}
