import { WardwatchError } from '@wardwatch/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Options of {@link registerSecurityHooks}. */
export interface SecurityHookOptions {
  /** Origins besides the server's own that may send unsafe requests (e.g. `https://station.example`). @default [] */
  allowedOrigins?: readonly string[];
  /** Extra `connect-src` sources of the dashboard's CSP (the live relay's origin, e.g. `wss://station.example`). @default ['ws:', 'wss:'] */
  connectSources?: readonly string[];
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The dashboard's Content-Security-Policy: its own scripts only, no framing, no plugins; live video over WebSocket. */
function contentSecurityPolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // the dashboard positions timeline segments with style attributes
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "worker-src 'self' blob:",
    `connect-src 'self' ${connectSources.join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The request's own origin as the browser sees it (`trustProxy` makes protocol and host those of the proxy). */
function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * Cross-site request forgery and browser hardening for the whole server:
 *
 * - Unsafe methods (POST, PUT, PATCH, DELETE) are refused with `FORBIDDEN` when the browser says the request is
 *   cross-site (`Sec-Fetch-Site` other than `same-origin`/`none`) or its `Origin` is not the server's own (or an
 *   allowed one): `SameSite=Strict` alone lets a page on another port of the same host through.
 * - Every POST must carry an `application/json` body (`UNSUPPORTED_MEDIA_TYPE` otherwise): an HTML form cannot.
 * - Responses carry a CSP, `nosniff`, `DENY` framing, no referrer, and HSTS when the request came over HTTPS.
 */
export function registerSecurityHooks(app: FastifyInstance, options: SecurityHookOptions = {}): void {
  const allowed = new Set(options.allowedOrigins ?? []);
  const csp = contentSecurityPolicy(options.connectSources ?? ['ws:', 'wss:']);

  app.addHook('onRequest', async (request) => {
    if (!UNSAFE.has(request.method)) return;
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw new WardwatchError('FORBIDDEN', 'Cross-site request refused', { details: { reason: 'sec-fetch-site' } });
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== ownOrigin(request) && !allowed.has(origin)) {
      throw new WardwatchError('FORBIDDEN', 'Cross-origin request refused', { details: { reason: 'origin' } });
    }
    if (request.method === 'POST' && !/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
      throw new WardwatchError('UNSUPPORTED_MEDIA_TYPE', 'POST bodies must be application/json');
    }
  });

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'no-referrer');
    // Swagger UI (/api/docs) runs its own inline bootstrap: it keeps its defaults
    if (!request.url.startsWith('/api/docs')) reply.header('content-security-policy', csp);
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
}
