import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { WardwatchError, redactUrl, toWardwatchError } from '@wardwatch/core';

/** TLS settings of requests to `https:` devices. */
export interface TlsSettings {
  /**
   * Accept a certificate that does not chain to a trusted CA or does not name the host (the
   * self-signed certificate most cameras ship with). The connection is still encrypted.
   * @default false
   */
  allowSelfSigned?: boolean;
}

/** Node's TLS error codes for an untrusted or mismatched certificate. */
const CERTIFICATE_ERRORS = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_UNTRUSTED|CERT_REJECTED)$/;

/** Parses an HTTP `Date` header to epoch ms; undefined when absent or unreadable. */
export function httpDateMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/** One HTTP request made by the driver. */
export interface HttpRequestOptions {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Whole-call deadline (connect + headers + body), ms. */
  timeoutMs: number;
  /** Largest accepted response body, bytes. */
  maxBytes: number;
  /** The ONVIF operation or purpose, for error details. */
  operation: string;
  signal?: AbortSignal;
  /** TLS settings for `https:` URLs. */
  tls?: TlsSettings;
}

/** A complete HTTP response. */
export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Raw header list, so repeated `WWW-Authenticate` headers stay separate. */
  rawHeaders: string[];
  body: Buffer;
}

/** The address of a URL as it may appear in errors and logs (no credentials, no query secrets). */
export function publicAddress(url: string): string {
  if (!URL.canParse(url)) return redactUrl(url);
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return redactUrl(parsed.toString());
}

/**
 * Sends one HTTP request with a whole-call deadline and a response size cap; network failures,
 * timeouts and oversized bodies become coded `WardwatchError`s carrying `{ address, operation }`.
 */
export function httpRequestBuffered(options: HttpRequestOptions): Promise<HttpResponse> {
  const address = publicAddress(options.url);
  const details = { address, operation: options.operation };
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error: WardwatchError | undefined, response?: HttpResponse): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(response as HttpResponse);
    };
    const onAbort = (): void =>
      finish(new WardwatchError('CANCELLED', `${options.operation} to ${address} was cancelled`, { details }));

    if (!URL.canParse(options.url)) {
      reject(new WardwatchError('INVALID_ARGUMENT', `Invalid camera URL ${address}`, { details }));
      return;
    }
    const url = new URL(options.url);
    const secure = url.protocol === 'https:';
    if (url.protocol !== 'http:' && !secure) {
      reject(new WardwatchError('CAMERA_UNSUPPORTED', `Only http: and https: are supported, got ${url.protocol} (${address})`, { details }));
      return;
    }
    const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
    const headers: Record<string, string> = { Connection: 'close', ...options.headers };
    if (body) headers['Content-Length'] = String(body.length);
    const target = {
      method: options.method,
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : secure ? 443 : 80,
      path: `${url.pathname}${url.search}`,
      headers,
      agent: false as const,
    };
    const req = secure ? httpsRequest({ ...target, rejectUnauthorized: options.tls?.allowSelfSigned !== true }) : httpRequest(target);
    timer = setTimeout(
      () =>
        finish(
          new WardwatchError('CAMERA_TIMEOUT', `${options.operation} to ${address} timed out after ${options.timeoutMs} ms`, {
            details: { ...details, timeoutMs: options.timeoutMs },
          }),
        ),
      options.timeoutMs,
    );
    if (options.signal) {
      if (options.signal.aborted) {
        onAbort();
        return;
      }
      options.signal.addEventListener('abort', onAbort, { once: true });
    }
    req.on('error', (cause: NodeJS.ErrnoException) => {
      if (secure && CERTIFICATE_ERRORS.test(cause.code ?? '')) {
        finish(
          new WardwatchError(
            'CAMERA_TLS_FAILED',
            `${options.operation} to ${address}: the camera's TLS certificate is not trusted (${cause.code}); set allowSelfSignedTls to accept a self-signed device certificate`,
            { cause, details: { ...details, tlsCode: cause.code } },
          ),
        );
        return;
      }
      const mapped = toWardwatchError(cause, 'CAMERA_UNREACHABLE', details);
      finish(
        new WardwatchError(mapped.code, `${options.operation} to ${address} failed: ${mapped.message}`, { cause, details }),
      );
    });
    req.on('response', (res) => {
      const tooLarge = (): WardwatchError =>
        new WardwatchError(
          'CAMERA_RESPONSE_TOO_LARGE',
          `${options.operation} response from ${address} exceeds ${options.maxBytes} bytes`,
          { details: { ...details, maxBytes: options.maxBytes } },
        );
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        res.destroy();
        finish(tooLarge());
        return;
      }
      const chunks: Buffer[] = [];
      let length = 0;
      res.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > options.maxBytes) {
          res.destroy();
          finish(tooLarge());
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (cause) => finish(toWardwatchError(cause, 'CAMERA_UNREACHABLE', details)));
      res.on('close', () => {
        if (!res.complete)
          finish(new WardwatchError('CAMERA_UNREACHABLE', `${options.operation} response from ${address} was cut off`, { details }));
      });
      res.on('end', () =>
        finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks, length) }),
      );
    });
    req.end(body);
  });
}
