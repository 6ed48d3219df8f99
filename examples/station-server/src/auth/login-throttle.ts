import { WardwatchError } from '@wardwatch/core';

/** One IP's failed logins over a finished window, written to the audit log as one entry. */
export interface FailedLoginSummary {
  ip: string;
  /** Failures not audited one by one (those after the first `auditFirst`). */
  failures: number;
  /** How many distinct usernames they tried. */
  distinctUsernames: number;
  /** Up to 10 of them. */
  usernames: string[];
  from: number;
  to: number;
}

/** Login throttling: per IP and username, per IP across usernames, and failed-login audit aggregation. */
export interface LoginThrottle {
  /** Throws `RATE_LIMITED` when this IP, or this IP with this username, failed too often in its window. */
  check(ip: string, username: string): void;
  /** Records a failed login; `audit` is true for the first failures of an IP in its window (then they are only counted). */
  failure(ip: string, username: string): { audit: boolean };
  /** A successful login clears its IP-and-username counter. */
  success(ip: string, username: string): void;
  /** Whether a refusal of this IP and username is the first of its window (so it is audited once). */
  firstRefusal(ip: string, username: string): boolean;
  /** Summaries of the IPs whose window has ended with unaudited failures (all of them when `all`); they are removed. */
  drainSummaries(all?: boolean): FailedLoginSummary[];
}

/** Options of {@link createLoginThrottle}. */
export interface LoginThrottleOptions {
  /** Failures allowed per IP and username per window. @default { max: 5, windowMs: 60000 } */
  perUser?: { max: number; windowMs: number };
  /** Failures allowed per IP, whatever the usernames, per window. @default { max: 30, windowMs: 900000 } */
  perIp?: { max: number; windowMs: number };
  /** Failures of an IP audited one by one per window; the rest go into one summary entry. @default 5 */
  auditFirst?: number;
  /** Clock. @default Date.now */
  now?: () => number;
}

interface Window {
  start: number;
  failures: number;
  refused: boolean;
  usernames: Set<string>;
}

/** Creates the login throttle (in memory; counters are dropped with their window). */
export function createLoginThrottle(options: LoginThrottleOptions = {}): LoginThrottle {
  const perUser = options.perUser ?? { max: 5, windowMs: 60_000 };
  const perIp = options.perIp ?? { max: 30, windowMs: 15 * 60_000 };
  const auditFirst = options.auditFirst ?? 5;
  const now = options.now ?? Date.now;
  const users = new Map<string, Window>();
  const ips = new Map<string, Window>();
  const userKey = (ip: string, username: string): string => `${ip}\n${username.toLowerCase()}`;

  /** The current window of a key (a new one when the last has ended). */
  const windowOf = (map: Map<string, Window>, key: string, windowMs: number): Window => {
    const t = now();
    let w = map.get(key);
    if (!w || t - w.start >= windowMs) {
      w = { start: t, failures: 0, refused: false, usernames: new Set() };
      map.set(key, w);
    }
    return w;
  };
  const summaryOf = (ip: string, w: Window): FailedLoginSummary => ({
    ip,
    failures: w.failures - auditFirst,
    distinctUsernames: w.usernames.size,
    usernames: [...w.usernames].slice(0, 10),
    from: w.start,
    to: Math.min(now(), w.start + perIp.windowMs),
  });

  return {
    check(ip, username) {
      const byIp = ips.get(ip);
      const t = now();
      const ipBlocked = byIp !== undefined && t - byIp.start < perIp.windowMs && byIp.failures >= perIp.max;
      const byUser = users.get(userKey(ip, username));
      const userBlocked = byUser !== undefined && t - byUser.start < perUser.windowMs && byUser.failures >= perUser.max;
      if (ipBlocked || userBlocked) {
        const until = ipBlocked ? byIp!.start + perIp.windowMs : byUser!.start + perUser.windowMs;
        throw new WardwatchError('RATE_LIMITED', 'Too many failed logins; try again later', { details: { retryAfterMs: Math.max(0, until - t) } });
      }
    },
    failure(ip, username) {
      const u = windowOf(users, userKey(ip, username), perUser.windowMs);
      u.failures += 1;
      const w = ips.get(ip);
      if (w && now() - w.start >= perIp.windowMs && w.failures > auditFirst) {
        // the old window's unaudited failures stay for drainSummaries: keep them under a key of their own
        ips.set(`${ip}\n${w.start}`, w);
      }
      const current = windowOf(ips, ip, perIp.windowMs);
      current.failures += 1;
      if (current.usernames.size < 1000) current.usernames.add(username.slice(0, 64));
      return { audit: current.failures <= auditFirst };
    },
    success(ip, username) {
      users.delete(userKey(ip, username));
    },
    firstRefusal(ip, username) {
      const u = windowOf(users, userKey(ip, username), perUser.windowMs);
      const first = !u.refused;
      u.refused = true;
      return first;
    },
    drainSummaries(all = false) {
      const t = now();
      const out: FailedLoginSummary[] = [];
      for (const [key, w] of ips) {
        const ended = t - w.start >= perIp.windowMs;
        if (!ended && !all) continue;
        if (w.failures > auditFirst) out.push(summaryOf(key.split('\n')[0]!, w));
        ips.delete(key);
      }
      for (const [key, w] of users) if (t - w.start >= perUser.windowMs) users.delete(key);
      return out;
    },
  };
}
