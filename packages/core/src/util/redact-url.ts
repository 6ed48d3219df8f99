/** Names of URL parameters whose value is a secret (query keys, and `key=value` pieces inside a path). */
const SECRET_KEY = '(?:pass(?:word)?|passwd|pwd|token|sig|signature|key|secret|auth)';
/** Query keys that carry a secret. */
const SECRET_QUERY_KEY = new RegExp(`^${SECRET_KEY}$`, 'i');
/**
 * A `name=value` secret anywhere in a URL or text: the value ends at `&`, `;`, `/`, `?`, `#`, whitespace, a quote
 * or the next `_name=` (brands that put `user=admin_password=secret_channel=1` in the stream path).
 */
const SECRET_PAIR = new RegExp(`(^|[^a-z0-9])(${SECRET_KEY}=)(.*?)(?=_[a-z][a-z0-9]*=|[&;/?#\\s"'<>,]|$)`, 'gi');
/** A URL inside free text (log lines, ffmpeg's stderr). */
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi;
/** The user info of an authority, up to the last `@` before the path: `//user:pass@`. */
const USER_INFO = /\/\/([^:/@\s]*):[^/\s]*@/g;

function maskPairs(text: string): string {
  return text.replace(SECRET_PAIR, (_all, before: string, name: string, value: string) => `${before}${name}${value ? '***' : ''}`);
}

/**
 * Masks the secrets of a URL for logs, errors and events: the password of `scheme://user:pass@host`
 * (→ `user:***@`), secret query parameters (`?password=`, `pwd`, `token`, `sig`, ...) and secret `name=value`
 * pieces inside the path (`/user=admin_password=***_channel=1`).
 */
export function redactUrl(url: string): string {
  let out: string;
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (SECRET_QUERY_KEY.test(key)) parsed.searchParams.set(key, '***');
    }
    out = parsed.toString().replace(/=%2A%2A%2A/g, '=***');
  } catch {
    out = url.replace(USER_INFO, '//$1:***@');
  }
  return maskPairs(out);
}

/**
 * Masks every URL secret inside free text (ffmpeg's stderr, an error message): each `scheme://...` is passed
 * through {@link redactUrl}, and `password=...`-style pieces outside URLs are masked too.
 */
export function redactUrlsIn(text: string): string {
  return maskPairs(text.replace(URL_IN_TEXT, (url) => redactUrl(url)).replace(USER_INFO, '//$1:***@'));
}
