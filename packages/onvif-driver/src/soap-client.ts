import { WardwatchError, type Logger } from '@wardwatch/core';
import { answerHttpChallenge, wwwAuthenticateChallenges } from '@wardwatch/core/driver-kit';
import { httpDateMs, httpRequestBuffered, publicAddress, type TlsSettings } from './http-request.js';
import { wsUsernameToken } from './ws-username-token.js';
import { child, parseXml, path, text, type XmlNode } from './xml-tree.js';

/**
 * How the driver authenticates ONVIF calls: `auto` sends a WS-UsernameToken and answers an HTTP
 * Digest challenge too; `ws-security` and `digest` use only one; `none` sends no credentials.
 */
export type OnvifAuthScheme = 'auto' | 'ws-security' | 'digest' | 'none';

/** Settings of a {@link SoapClient}. */
export interface SoapClientOptions {
  username?: string;
  password?: string;
  auth: OnvifAuthScheme;
  /** Per-call deadline, ms. */
  timeoutMs: number;
  /** Response size cap, bytes. */
  maxBytes: number;
  /** The camera's current time (station time + measured offset), for WS-UsernameToken `Created`. */
  cameraNow: () => number;
  logger: Logger;
  /** TLS settings for `https:` devices. */
  tls?: TlsSettings;
}

/** A successful SOAP answer: the raw XML and the parsed `Body` element. */
export interface SoapResult {
  xml: string;
  body: XmlNode;
}

/** Per-call overrides. */
export interface SoapCallOptions {
  timeoutMs?: number;
  /** Send credentials (default true); `false` for calls ONVIF allows anonymously. */
  authenticate?: boolean;
  signal?: AbortSignal;
  /** SOAP action URI, sent as the `action` parameter of the content type (some firmwares route by it). */
  action?: string;
  /** Extra SOAP header blocks (XML), e.g. WS-Addressing reference parameters echoed back to the device. */
  headers?: readonly string[];
}

const UNSUPPORTED_SUBCODES = /ActionNotSupported|OptionalActionNotImplemented|NoPTZProfile|NotSupported|NoSuchService/i;
const AUTH_SUBCODES = /NotAuthorized|FailedAuthentication|InvalidSecurity|FailedCheck|SecurityTokenUnavailable|Unauthori[sz]ed/i;

/** Wraps SOAP 1.2 `body` XML in an envelope with an (empty) header. */
export function soapEnvelope(bodyXml: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">' +
    '<s:Header></s:Header>' +
    `<s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">${bodyXml}</s:Body>` +
    '</s:Envelope>'
  );
}

/** Collects `Code/Value` and nested `Subcode/Value`s of a SOAP 1.2 fault (or `faultcode` of 1.1). */
function faultCodes(fault: XmlNode): string[] {
  const codes: string[] = [];
  let node: XmlNode | undefined = child(fault, 'Code');
  for (let depth = 0; node && depth < 8; depth += 1) {
    const value = text(node, 'Value');
    if (value) codes.push(value);
    node = child(node, 'Subcode');
  }
  const legacy = text(fault, 'faultcode');
  if (legacy) codes.push(legacy);
  return codes;
}

function faultReason(fault: XmlNode): string {
  return text(path(fault, 'Reason'), 'Text') ?? text(fault, 'faultstring') ?? '';
}

/** A fault code as a bounded QName (`ter:InvalidArgVal`); anything else the camera wrote there becomes `?`. */
function qname(code: string): string {
  return /^[A-Za-z_][\w.-]{0,63}(:[A-Za-z_][\w.-]{0,63})?$/.test(code) ? code : '?';
}

/**
 * The fault as it may appear in a message: its codes only. The reason is the camera's free text, kept (bounded) in
 * `details.reason` for logs, never in messages, which become camera status causes that viewers see.
 */
function describeFault(codes: string[]): string {
  return codes.length === 0 ? 'no fault code' : codes.map(qname).join(' / ');
}

/** The Digest challenges of a 401 (undefined when it offers none): SOAP calls never answer Basic. */
function digestChallenges(rawHeaders: readonly string[]): string[] | undefined {
  const digests = wwwAuthenticateChallenges(rawHeaders).filter((c) => /^digest\s/i.test(c));
  return digests.length > 0 ? digests : undefined;
}

/**
 * A minimal ONVIF SOAP 1.2 client: WS-UsernameToken and HTTP Digest, a per-call deadline, a
 * response size cap, and one coded `WardwatchError` per failure class.
 */
export class SoapClient {
  /** The last Digest challenge answered (raw `WWW-Authenticate` values), reused with a growing nonce count. */
  private digest: string[] | undefined;
  private nc = 0;

  constructor(private readonly options: SoapClientOptions) {}

  private get credentials(): { username: string; password: string } | undefined {
    const { username, password } = this.options;
    return username ? { username, password: password ?? '' } : undefined;
  }

  /** Inserts the WS-Security header (when the scheme uses it) and any extra header blocks into an envelope. */
  private secure(envelope: string, authenticate: boolean, extra: readonly string[]): string {
    const creds = this.credentials;
    const useToken = authenticate && creds !== undefined && (this.options.auth === 'auto' || this.options.auth === 'ws-security');
    if (!useToken && extra.length === 0) return envelope;
    const open = /<([A-Za-z_][\w.-]*:)?Envelope\b[^>]*>/.exec(envelope);
    if (!open) return envelope;
    const prefix = open[1] ?? '';
    const wsse = useToken
      ? wsUsernameToken(creds.username, creds.password, this.options.cameraNow()).replace('s:mustUnderstand', `${prefix || 's:'}mustUnderstand`)
      : '';
    const token = `${wsse}${extra.join('')}`;
    const headerOpen = new RegExp(`<${prefix}Header\\s*>`).exec(envelope);
    if (headerOpen) return envelope.replace(headerOpen[0], `${headerOpen[0]}${token}`);
    const selfClosed = new RegExp(`<${prefix}Header\\s*/>`).exec(envelope);
    const header = `<${prefix}Header>${token}</${prefix}Header>`;
    if (selfClosed) return envelope.replace(selfClosed[0], header);
    return envelope.replace(open[0], `${open[0]}${header}`);
  }

  /** Sends `envelope` to `url` as `operation` and returns the parsed body, or throws a coded error. */
  async call(url: string, envelope: string, operation: string, callOptions: SoapCallOptions = {}): Promise<SoapResult> {
    const authenticate = callOptions.authenticate ?? true;
    const address = publicAddress(url);
    const details = { address, operation };
    const creds = this.credentials;
    const useDigest = authenticate && creds !== undefined && (this.options.auth === 'auto' || this.options.auth === 'digest');
    const target = new URL(url);
    const requestUri = `${target.pathname}${target.search}`;

    const send = async (challenge: string[] | undefined) => {
      const headers: Record<string, string> = {
        'Content-Type': `application/soap+xml; charset=utf-8${callOptions.action ? `; action="${callOptions.action.replace(/"/g, '')}"` : ''}`,
      };
      if (challenge && creds) {
        this.nc += 1;
        const authorization = answerHttpChallenge(challenge, creds, 'POST', requestUri, { allowBasic: false, nonceCount: this.nc });
        if (authorization) headers.Authorization = authorization;
      }
      return httpRequestBuffered({
        method: 'POST',
        url,
        headers,
        body: this.secure(envelope, authenticate, callOptions.headers ?? []),
        timeoutMs: callOptions.timeoutMs ?? this.options.timeoutMs,
        maxBytes: this.options.maxBytes,
        operation,
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
        ...(this.options.tls ? { tls: this.options.tls } : {}),
      });
    };

    let response = await send(useDigest ? this.digest : undefined);
    if (response.status === 401 && useDigest) {
      const challenge = digestChallenges(response.rawHeaders);
      const stale = this.digest !== undefined;
      if (challenge) {
        this.digest = challenge;
        this.nc = 0;
        response = await send(challenge);
        if (response.status === 401 && stale) {
          const again = digestChallenges(response.rawHeaders);
          if (again) {
            this.digest = again;
            this.nc = 0;
            response = await send(again);
          }
        }
      }
    }
    // The camera's own clock as its HTTP `Date` header states it (whole seconds), for clock-skew handling.
    const cameraDate = httpDateMs(response.headers.date);
    const dated = cameraDate === undefined ? {} : { cameraDateMs: cameraDate };
    if (response.status === 401) {
      throw new WardwatchError('CAMERA_AUTH_FAILED', `${operation} to ${address} was rejected: HTTP 401 (check username/password and auth scheme)`, {
        details: { ...details, status: 401, ...dated },
      });
    }
    const xml = response.body.toString('utf8');
    const doc: XmlNode = parseXml(xml, details);
    const body = path(doc, 'Envelope', 'Body');
    const fault = child(body, 'Fault');
    if (fault) {
      const codes = faultCodes(fault).map(qname);
      const reason = faultReason(fault);
      const faultDetails = { ...details, status: response.status, faultCodes: codes, reason: reason.slice(0, 200), ...dated };
      if (codes.some((c) => AUTH_SUBCODES.test(c)) || AUTH_SUBCODES.test(reason)) {
        throw new WardwatchError('CAMERA_AUTH_FAILED', `${operation} to ${address} was rejected: ${describeFault(codes)}`, {
          details: faultDetails,
        });
      }
      if (codes.some((c) => UNSUPPORTED_SUBCODES.test(c))) {
        throw new WardwatchError('CAMERA_UNSUPPORTED', `${operation} is not supported by ${address}: ${describeFault(codes)}`, {
          details: faultDetails,
        });
      }
      throw new WardwatchError('CAMERA_SOAP_FAULT', `${operation} to ${address} answered with a SOAP fault: ${describeFault(codes)}`, {
        details: faultDetails,
      });
    }
    if (response.status < 200 || response.status >= 300) {
      throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `${operation} to ${address} answered HTTP ${response.status}`, {
        details: { ...details, status: response.status },
      });
    }
    if (!body) {
      throw new WardwatchError('CAMERA_PROTOCOL_ERROR', `${operation} to ${address} returned XML that is not a SOAP envelope`, {
        details: { ...details, status: response.status },
      });
    }
    return { xml, body };
  }
}
