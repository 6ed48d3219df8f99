import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ErrorCode } from '../errors/codes.js';
import { WardwatchError, toWardwatchError } from '../errors/wardwatch-error.js';
import { redactUrl } from '../util/redact-url.js';
import { answerHttpChallenge, type DeviceCredentials } from './answer-http-challenge.js';
import { wwwAuthenticateChallenges } from './www-authenticate-challenges.js';

/** Node's TLS error codes for a certificate that is not trusted or does not name the host. */
const CERTIFICATE_ERRORS =
  /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|CERT_UNTRUSTED|CERT_REJECTED)$/;

/** Options of {@link httpGet}. */
export interface HttpGetOptions {
  /** Deadline of each request (connect, headers and body), ms; past it the call is `CAMERA_TIMEOUT`. @default 5000 */
  timeoutMs?: number;
  /** Largest accepted body, bytes; a longer one is `CAMERA_RESPONSE_TOO_LARGE`. @default 8 MiB */
  maxBytes?: number;
  /** Answered when the device asks for HTTP Digest or Basic authentication (one retry). */
  credentials?: Partial<DeviceCredentials>;
  /** What the request is for (`snapshot`, `GetDeviceInfo` …), named in errors. @default 'GET' */
  operation?: string;
  /** Extra request headers. */
  headers?: Record<string, string>;
  /** Aborting rejects with `CANCELLED`. */
  signal?: AbortSignal;
  /** Accept a self-signed or mismatched certificate on `https:` (still encrypted). @default false */
  allowSelfSignedTls?: boolean;
  /**
   * Answer a Basic challenge over plain `http:`, which sends the password in clear; when false such a request is
   * `CAMERA_AUTH_FAILED` without sending it (Digest and `https:` are unaffected).
   * @default true
   */
  allowBasicOverHttp?: boolean;
}

/** A complete 2xx answer of {@link httpGet}. */
export interface HttpGetResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface Answer extends HttpGetResponse {
  challenges: string[];
}

/** The URL without user info, secrets masked: what errors may name. */
function publicAddress(url: URL): string {
  const copy = new URL(url);
  copy.username = '';
  copy.password = '';
  return redactUrl(copy.toString());
}

function getOnce(url: URL, headers: Record<string, string>, options: Required<Pick<HttpGetOptions, 'timeoutMs' | 'maxBytes' | 'operation'>> & HttpGetOptions, address: string): Promise<Answer> {
  const details = { address, operation: options.operation };
  return new Promise((resolve, reject) => {
    let settled = false;
    const target = {
      hostname: url.hostname.replace(/^\[|\]$/g, ''),
      port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
      path: `${url.pathname}${url.search}`,
      headers: { Connection: 'close', ...options.headers, ...headers },
      agent: false as const,
    };
    const req = url.protocol === 'https:' ? httpsRequest({ ...target, rejectUnauthorized: options.allowSelfSignedTls !== true }) : httpRequest(target);
    const onAbort = (): void => finish(new WardwatchError('CANCELLED', `${options.operation} to ${address} was cancelled`, { details }));
    const timer = setTimeout(
      () => finish(new WardwatchError('CAMERA_TIMEOUT', `${options.operation} to ${address} timed out after ${options.timeoutMs} ms`, { details: { ...details, timeoutMs: options.timeoutMs } })),
      options.timeoutMs,
    );
    function finish(error: WardwatchError | undefined, answer?: Answer): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error) {
        req.destroy();
        reject(error);
      } else resolve(answer as Answer);
    }
    const failed = (cause: unknown): void => {
      const nodeCode = (cause as { code?: unknown }).code;
      if (url.protocol === 'https:' && typeof nodeCode === 'string' && CERTIFICATE_ERRORS.test(nodeCode)) {
        const hint = options.allowSelfSignedTls ? '' : '; allowSelfSignedTls accepts a self-signed device certificate';
        finish(new WardwatchError('CAMERA_TLS_FAILED', `${options.operation} to ${address}: the TLS certificate is not trusted (${nodeCode})${hint}`, { cause, details: { ...details, tlsCode: nodeCode } }));
        return;
      }
      const coded = toWardwatchError(cause, 'CAMERA_UNREACHABLE', details);
      finish(new WardwatchError<ErrorCode>(coded.code, `${options.operation} to ${address} failed: ${coded.message}`, { cause, details }));
    };
    // Listening before anything can destroy the request: destroy() emits its 'error' (after settling, it is ignored).
    req.on('error', failed);
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= options.maxBytes) chunks.push(chunk);
        else {
          finish(new WardwatchError('CAMERA_RESPONSE_TOO_LARGE', `${options.operation} answer from ${address} exceeds ${options.maxBytes} bytes`, { details: { ...details, maxBytes: options.maxBytes } }));
        }
      });
      res.on('error', failed);
      res.on('end', () => {
        finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), challenges: wwwAuthenticateChallenges(res.rawHeaders) });
      });
    });
    req.end();
  });
}

/**
 * GETs an `http:`/`https:` URL from a device the way drivers need it: a deadline per request, a body size cap, and
 * the device's HTTP Digest or Basic challenge answered once with `credentials`. Every failure is a coded
 * `WardwatchError` with `{ address, operation }` details and no credentials: refused/unreachable →
 * `CAMERA_UNREACHABLE`, deadline → `CAMERA_TIMEOUT` (both retryable), 401/403 → `CAMERA_AUTH_FAILED`, body too
 * large → `CAMERA_RESPONSE_TOO_LARGE`, Basic over `http:` refused by `allowBasicOverHttp: false` → `CAMERA_AUTH_FAILED`, another non-2xx status → `CAMERA_PROTOCOL_ERROR` (`details.status`), an untrusted
 * `https:` certificate → `CAMERA_TLS_FAILED` (`details.tlsCode`), aborted → `CANCELLED`.
 */
export async function httpGet(uri: string, options: HttpGetOptions = {}): Promise<HttpGetResponse> {
  if (!URL.canParse(uri)) throw new WardwatchError('INVALID_ARGUMENT', 'Not a URL', { details: { field: 'uri' } });
  const url = new URL(uri);
  const address = publicAddress(url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WardwatchError('CAMERA_UNSUPPORTED', `Only http: and https: can be fetched, not ${url.protocol} (${address})`, { details: { address } });
  }
  const resolved = { ...options, timeoutMs: options.timeoutMs ?? 5000, maxBytes: options.maxBytes ?? 8 * 1024 * 1024, operation: options.operation ?? 'GET' };
  // Credentials in the URL itself count as the credentials to answer with, and never go on the wire as user info.
  const username = options.credentials?.username ?? (url.username ? decodeURIComponent(url.username) : undefined);
  const password = options.credentials?.password ?? (url.password ? decodeURIComponent(url.password) : '');
  url.username = '';
  url.password = '';
  let answer = await getOnce(url, {}, resolved, address);
  if (answer.status === 401 && username) {
    const allowBasic = url.protocol === 'https:' || options.allowBasicOverHttp !== false;
    const authorization = answerHttpChallenge(answer.challenges, { username, password }, 'GET', `${url.pathname}${url.search}`, { allowBasic });
    if (!authorization && !allowBasic && answer.challenges.some((c) => /^basic(\s|$)/i.test(c))) {
      throw new WardwatchError(
        'CAMERA_AUTH_FAILED',
        `${resolved.operation} to ${address} asks for HTTP Basic over plain http, which would send the password in clear; not answered (allowBasicOverHttp enables it)`,
        { details: { address, operation: resolved.operation, status: 401 } },
      );
    }
    if (authorization) answer = await getOnce(url, { Authorization: authorization }, resolved, address);
  }
  const details = { address, operation: resolved.operation, status: answer.status };
  if (answer.status === 401 || answer.status === 403) {
    throw new WardwatchError('CAMERA_AUTH_FAILED', `${resolved.operation} to ${address} was refused (HTTP ${answer.status}${username ? '' : ', no credentials given'})`, { details });
  }
  if (answer.status < 200 || answer.status > 299) {
    throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `${resolved.operation} to ${address} answered HTTP ${answer.status}`, { details });
  }
  return { status: answer.status, headers: answer.headers, body: answer.body };
}
